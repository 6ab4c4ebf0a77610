import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import { generateKeyPairSync, createVerify } from 'node:crypto';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { FcmPushProvider } from '../../functions/adapters/aws/push/FcmPushProvider.js';
import { ApnsPushProvider } from '../../functions/adapters/aws/push/ApnsPushProvider.js';
import { ProviderThrottledError } from '../../functions/core/errors.js';
import { fixedClock } from '../support/tables.js';

// Stand-ins for Google's and Apple's endpoints, answering as their documentation says they do.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const clock = fixedClock('2026-11-23T00:00:00.000Z');
const message = {
  title: '(광고) 안녕하세요',
  body: '장바구니를 확인하세요',
  deepLink: 'app://cart',
  messageRef: 'ref-1',
};

let fcm: Server;
let fcmUrl: string;
const fcmSeen: { path: string; auth?: string; body: unknown }[] = [];
let apns: Http2Server;
let apnsUrl: string;
const apnsSeen: { path: string; headers: Record<string, unknown>; body: unknown }[] = [];

beforeAll(async () => {
  fcm = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      if (req.url === '/token') {
        const assertion = new URLSearchParams(raw).get('assertion')!;
        const [header, claims, signature] = assertion.split('.');
        const valid = createVerify('RSA-SHA256')
          .update(`${header}.${claims}`)
          .verify(rsa.publicKey, signature, 'base64url');
        res.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ access_token: 'google-token', expires_in: 3600 }));
      }
      const body = JSON.parse(raw);
      fcmSeen.push({ path: req.url!, auth: req.headers.authorization, body });
      const token = body.message.token as string;
      if (token === 'gone')
        return res
          .writeHead(404)
          .end(JSON.stringify({ error: { status: 'NOT_FOUND', details: [{ errorCode: 'UNREGISTERED' }] } }));
      if (token === 'busy') return res.writeHead(429).end('{}');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ name: 'projects/shop/messages/123' }));
    });
  });
  await new Promise<void>((r) => fcm.listen(0, '127.0.0.1', () => r()));
  fcmUrl = `http://127.0.0.1:${(fcm.address() as AddressInfo).port}`;

  apns = createHttp2Server();
  apns.on('stream', (stream, headers) => {
    let raw = '';
    stream.on('data', (c) => (raw += c));
    stream.on('end', () => {
      apnsSeen.push({ path: String(headers[':path']), headers, body: JSON.parse(raw) });
      const token = String(headers[':path']).split('/').pop();
      if (token === 'gone') {
        stream.respond({ ':status': 410 });
        return stream.end(JSON.stringify({ reason: 'Unregistered' }));
      }
      stream.respond({ ':status': 200, 'apns-id': 'apns-123' });
      stream.end();
    });
  });
  await new Promise<void>((r) => apns.listen(0, '127.0.0.1', () => r()));
  apnsUrl = `http://127.0.0.1:${(apns.address() as AddressInfo).port}`;
});

afterAll(() => {
  fcm.close();
  apns.close();
});

describe('FCM HTTP v1', () => {
  const provider = () =>
    new FcmPushProvider(
      {
        projectId: 'shop',
        clientEmail: 'retain@shop.iam.gserviceaccount.com',
        privateKey: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
        endpoint: fcmUrl,
        tokenEndpoint: `${fcmUrl}/token`,
      },
      clock,
    );

  it('authenticates with a signed service-account assertion and posts the message', async () => {
    expect(await provider().send({ token: 'device-1' }, message)).toEqual({
      status: 'sent',
      id: 'projects/shop/messages/123',
    });
    expect(fcmSeen.at(-1)).toEqual({
      path: '/v1/projects/shop/messages:send',
      auth: 'Bearer google-token',
      body: {
        message: {
          token: 'device-1',
          notification: { title: message.title, body: message.body },
          data: { messageRef: 'ref-1', deepLink: 'app://cart' },
        },
      },
    });
  });

  it('reports an unregistered token as invalid and throttling as retryable', async () => {
    expect(await provider().send({ token: 'gone' }, message)).toEqual({ status: 'invalid-token' });
    await expect(provider().send({ token: 'busy' }, message)).rejects.toBeInstanceOf(ProviderThrottledError);
  });
});

describe('APNs', () => {
  const provider = () =>
    new ApnsPushProvider(
      {
        teamId: 'TEAM123',
        keyId: 'KEY123',
        privateKey: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
        bundleId: 'com.shop.app',
        endpoint: apnsUrl,
      },
      clock,
    );

  it('posts over HTTP/2 with an ES256 provider token and the bundle as topic', async () => {
    const p = provider();
    expect(await p.send({ token: 'abc' }, message)).toEqual({ status: 'sent', id: 'apns-123' });
    const seen = apnsSeen.at(-1)!;
    expect(seen.path).toBe('/3/device/abc');
    expect(seen.headers['apns-topic']).toBe('com.shop.app');
    expect(seen.headers['apns-push-type']).toBe('alert');
    const [header, claims, signature] = String(seen.headers.authorization).replace('bearer ', '').split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'ES256', kid: 'KEY123' });
    expect(
      createVerify('SHA256')
        .update(`${header}.${claims}`)
        .verify({ key: ec.publicKey, dsaEncoding: 'ieee-p1363' }, signature, 'base64url'),
    ).toBe(true);
    expect(seen.body).toEqual({
      aps: { alert: { title: message.title, body: message.body }, 'mutable-content': 1 },
      messageRef: 'ref-1',
      deepLink: 'app://cart',
    });
    expect(await p.send({ token: 'gone' }, message)).toEqual({ status: 'invalid-token' });
    p.close();
  });
});

describe('Web Push', () => {
  it('encrypts the payload for the browser subscription, signs with VAPID, and forgets a gone subscription', async () => {
    const { WebPushProvider } = await import('../../functions/adapters/aws/push/WebPushProvider.js');
    const webpush = (await import('web-push')).default;
    const vapid = webpush.generateVAPIDKeys();
    const browser = (await import('node:crypto')).createECDH('prime256v1');
    browser.generateKeys();
    const seen: { path: string; headers: Record<string, unknown> }[] = [];
    const service = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push({ path: req.url!, headers: req.headers });
        res.writeHead(req.url === '/gone' ? 410 : 201, { location: 'https://push.example/m/1' }).end();
      });
    });
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
    const subscription = (path: string) =>
      JSON.stringify({
        endpoint: `${base}${path}`,
        keys: {
          p256dh: browser.getPublicKey('base64url'),
          auth: Buffer.from('0123456789abcdef').toString('base64url'),
        },
      });
    const provider = new WebPushProvider(
      {
        subject: 'mailto:ops@shop.example',
        publicKey: vapid.publicKey,
        privateKey: vapid.privateKey,
      },
      { allowLoopbackEndpoints: true },
    );
    expect(await provider.send({ token: subscription('/sub-1') }, message)).toEqual({
      status: 'sent',
      id: 'https://push.example/m/1',
    });
    expect(seen[0].headers['content-encoding']).toBe('aes128gcm');
    expect(String(seen[0].headers.authorization)).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=/);
    expect(await provider.send({ token: subscription('/gone') }, message)).toEqual({ status: 'invalid-token' });
    expect(await provider.send({ token: 'not a subscription' }, message)).toEqual({ status: 'invalid-token' });
    // A stored subscription whose endpoint is not a push service (stored before ingest checked) is never fetched.
    const production = new WebPushProvider({ subject: 'mailto:ops@shop.example', ...vapid });
    const requests = seen.length;
    for (const endpoint of [`${base}/sub-1`, 'https://169.254.169.254/latest/meta-data/', 'https://10.0.0.8/x'])
      expect(
        await production.send(
          { token: JSON.stringify({ endpoint, keys: JSON.parse(subscription('/')).keys }) },
          message,
        ),
      ).toEqual({ status: 'invalid-token' });
    expect(seen).toHaveLength(requests);
    service.close();
  });
});

describe('SOLAPI (v4 messages API)', () => {
  it('signs the request with HMAC-SHA256 over date and salt and sends the message', async () => {
    const { SolapiMessagingProvider } = await import(
      '../../functions/adapters/aws/messaging/SolapiMessagingProvider.js'
    );
    const { createHmac } = await import('node:crypto');
    const seen: { authorization: string; body: { message: Record<string, unknown> } }[] = [];
    const solapi = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const authorization = String(req.headers.authorization);
        const fields = Object.fromEntries(
          authorization
            .replace('HMAC-SHA256 ', '')
            .split(', ')
            .map((kv) => kv.split('=') as [string, string]),
        );
        const expected = createHmac('sha256', 'secret-key')
          .update(fields.date + fields.salt)
          .digest('hex');
        if (req.url !== '/messages/v4/send' || fields.signature !== expected || fields.apiKey !== 'NCS-KEY') {
          return res
            .writeHead(403, { 'content-type': 'application/json' })
            .end(JSON.stringify({ errorCode: 'SignatureDoesNotMatch', errorMessage: 'bad signature' }));
        }
        const body = JSON.parse(raw);
        seen.push({ authorization, body });
        if (body.message.to === '01000000000')
          return res
            .writeHead(400, { 'content-type': 'application/json' })
            .end(JSON.stringify({ errorCode: 'ValidationError', errorMessage: 'invalid recipient' }));
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ groupId: 'G1', messageId: 'M1', statusCode: '2000', statusMessage: '정상 접수' }));
      });
    });
    await new Promise<void>((r) => solapi.listen(0, '127.0.0.1', () => r()));
    const endpoint = `http://127.0.0.1:${(solapi.address() as AddressInfo).port}`;
    const provider = new SolapiMessagingProvider({ apiKey: 'NCS-KEY', apiSecret: 'secret-key', endpoint }, clock);
    const sms = {
      from: '02-1234-5678',
      to: '010-9876-5432',
      type: 'LMS' as const,
      text: '(광고)상점\n본문\n무료수신거부 080-123-4567',
      title: '주말 특가',
      messageRef: 'ref',
    };
    expect(await provider.sendSms(sms)).toBe('M1');
    expect(seen[0].body.message).toEqual({
      to: '01098765432',
      from: '0212345678',
      text: sms.text,
      type: 'LMS',
      subject: '주말 특가',
      customFields: { messageRef: 'ref' },
    });
    await expect(provider.sendSms({ ...sms, to: '010-0000-0000' })).rejects.toMatchObject({
      name: 'ProviderRejectedError',
      code: 'ValidationError',
    });
    const wrongKey = new SolapiMessagingProvider({ apiKey: 'NCS-KEY', apiSecret: 'other', endpoint }, clock);
    await expect(wrongKey.sendSms(sms)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    solapi.close();
  });
});

describe('SOLAPI MMS', () => {
  it('uploads the image to SOLAPI storage once, then sends the MMS naming the file; refuses what carriers would', async () => {
    const { SolapiMessagingProvider } = await import(
      '../../functions/adapters/aws/messaging/SolapiMessagingProvider.js'
    );
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1000, 7)]);
    const calls: { url: string; body: Record<string, unknown> }[] = [];
    const server = createServer((req, res) => {
      if (req.method === 'GET') {
        if (req.url === '/sale.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
        if (req.url === '/huge.jpg')
          return res
            .writeHead(200, { 'content-type': 'image/jpeg' })
            .end(Buffer.concat([jpeg, Buffer.alloc(210 * 1024)]));
        if (req.url === '/logo.png')
          return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
        return res.writeHead(404).end();
      }
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        calls.push({ url: String(req.url), body: JSON.parse(raw) });
        if (req.url === '/storage/v1/files')
          return res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ fileId: 'ST01FILE', name: 'sale.jpg', type: 'MMS' }));
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ messageId: `M${calls.length}`, statusCode: '2000' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new SolapiMessagingProvider({ apiKey: 'K', apiSecret: 'S', endpoint }, clock, {
      allowLoopbackImages: true,
      timeoutMs: 1000,
    });
    const mms = {
      from: '02-1234-5678',
      to: '010-9876-5432',
      type: 'MMS' as const,
      text: '사진 보세요',
      title: '신상품',
      imageUrl: `${endpoint}/sale.jpg`,
      messageRef: 'ref',
    };
    await provider.sendSms(mms);
    await provider.sendSms({ ...mms, to: '010-1111-2222' });
    expect(calls.map((c) => c.url)).toEqual(['/storage/v1/files', '/messages/v4/send', '/messages/v4/send']);
    expect(calls[0].body).toEqual({ file: jpeg.toString('base64'), name: 'sale.jpg', type: 'MMS' });
    expect(calls[1].body.message).toMatchObject({ type: 'MMS', imageId: 'ST01FILE', subject: '신상품' });
    await expect(provider.sendSms({ ...mms, imageUrl: `${endpoint}/huge.jpg` })).rejects.toMatchObject({
      name: 'ProviderRejectedError',
      code: 'mms-image',
    });
    await expect(provider.sendSms({ ...mms, imageUrl: `${endpoint}/logo.png` })).rejects.toThrow(/not a JPEG/);
    await expect(provider.sendSms({ ...mms, imageUrl: `${endpoint}/missing.jpg` })).rejects.toThrow(/answered 404/);
    server.close();
  });

  it('remembers a bounded number of uploads, forgetting the least recently used', async () => {
    const { SolapiMessagingProvider } = await import(
      '../../functions/adapters/aws/messaging/SolapiMessagingProvider.js'
    );
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 7)]);
    const uploads: string[] = [];
    const server = createServer((req, res) => {
      if (req.method === 'GET') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        if (req.url === '/storage/v1/files') uploads.push(JSON.parse(raw).name);
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ fileId: `F${uploads.length}`, messageId: 'M', statusCode: '2000' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new SolapiMessagingProvider({ apiKey: 'K', apiSecret: 'S', endpoint }, clock, {
      allowLoopbackImages: true,
      uploadsRemembered: 2,
    });
    const mms = { from: '02-1234-5678', to: '010-9876-5432', type: 'MMS' as const, text: '사진', messageRef: 'r' };
    for (const image of ['a', 'b', 'a', 'c', 'a', 'b'])
      await provider.sendSms({ ...mms, imageUrl: `${endpoint}/${image}.jpg` });
    // 'a' stays (used again before 'c' came); 'b' was the least recently used when 'c' arrived.
    expect(uploads).toEqual(['a.jpg', 'b.jpg', 'c.jpg', 'b.jpg']);
    server.close();
  });

  it('fetches the image only over https from a public address, without redirects, reading at most 200 KB in time', async () => {
    const { SolapiMessagingProvider } = await import(
      '../../functions/adapters/aws/messaging/SolapiMessagingProvider.js'
    );
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1000, 7)]);
    const fetched: string[] = [];
    const images = createServer((req, res) => {
      fetched.push(String(req.url));
      if (req.url === '/sale.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
      if (req.url === '/moved.jpg') return res.writeHead(302, { location: '/sale.jpg' }).end();
      if (req.url === '/endless.jpg') {
        // No content-length, and it never stops: only a reader that counts and hangs up gets past it.
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.write(jpeg);
        const more = setInterval(() => res.write(Buffer.alloc(16 * 1024, 7)), 2);
        return res.on('close', () => clearInterval(more));
      }
      // '/silent.jpg' never answers.
    });
    await new Promise<void>((r) => images.listen(0, '127.0.0.1', () => r()));
    const port = (images.address() as AddressInfo).port;
    const local = `http://127.0.0.1:${port}`;
    const credentials = { apiKey: 'K', apiSecret: 'S', endpoint: 'http://127.0.0.1:1' };
    const mms = { from: '02-1234-5678', to: '010-9876-5432', type: 'MMS' as const, text: '사진', messageRef: 'r' };
    const refusal = (reason: RegExp) => ({ name: 'ProviderRejectedError', code: 'mms-image', message: reason });

    // Production: https only, and never an address inside the network, whatever the name.
    const production = new SolapiMessagingProvider(credentials, clock);
    await expect(production.sendSms({ ...mms, imageUrl: `${local}/sale.jpg` })).rejects.toMatchObject(
      refusal(/must be https/),
    );
    for (const host of ['127.0.0.1', 'localhost', '10.0.0.8', '169.254.169.254', '[::1]'])
      await expect(production.sendSms({ ...mms, imageUrl: `https://${host}:${port}/sale.jpg` })).rejects.toMatchObject(
        refusal(/private address/),
      );

    // Locally, plain http to loopback only.
    const testing = new SolapiMessagingProvider(credentials, clock, { allowLoopbackImages: true, timeoutMs: 300 });
    await expect(testing.sendSms({ ...mms, imageUrl: 'http://192.0.2.1/sale.jpg' })).rejects.toMatchObject(
      refusal(/must be https/),
    );
    await expect(testing.sendSms({ ...mms, imageUrl: `${local}/moved.jpg` })).rejects.toMatchObject(
      refusal(/redirects \(302\)/),
    );
    await expect(testing.sendSms({ ...mms, imageUrl: `${local}/endless.jpg` })).rejects.toMatchObject(
      refusal(/over 204800 bytes/),
    );
    await expect(testing.sendSms({ ...mms, imageUrl: `${local}/silent.jpg` })).rejects.toBeInstanceOf(
      ProviderThrottledError,
    );
    // The redirect was not followed, and nothing reached the network from the production refusals.
    expect(fetched).toEqual(['/moved.jpg', '/endless.jpg', '/silent.jpg']);
    images.closeAllConnections();
    images.close();
  });

  it('resolves the image host once and connects to the address it checked, so a rebinding name cannot move inside', async () => {
    const { SolapiMessagingProvider } = await import(
      '../../functions/adapters/aws/messaging/SolapiMessagingProvider.js'
    );
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 7)]);
    const hosts: string[] = [];
    const images = createServer((req, res) => {
      hosts.push(String(req.headers.host));
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
    });
    await new Promise<void>((r) => images.listen(0, '127.0.0.1', () => r()));
    const port = (images.address() as AddressInfo).port;
    const uploads: string[] = [];
    const solapi = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/storage/v1/files') uploads.push(JSON.parse(body).file);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(req.url === '/storage/v1/files' ? { fileId: 'F1' } : { messageId: 'M1', statusCode: '2000' }),
        );
      });
    });
    await new Promise<void>((r) => solapi.listen(0, '127.0.0.1', () => r()));
    const credentials = {
      apiKey: 'K',
      apiSecret: 'S',
      endpoint: `http://127.0.0.1:${(solapi.address() as AddressInfo).port}`,
    };
    const mms = { from: '02-1234-5678', to: '010-9876-5432', type: 'MMS' as const, text: '사진', messageRef: 'r' };

    // A name only this resolver knows: the fetch can reach the image only through the address that was checked.
    const asked: string[] = [];
    const loopbackDns = async (host: string) => {
      asked.push(host);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const provider = new SolapiMessagingProvider(credentials, clock, {
      allowLoopbackImages: true,
      resolve: loopbackDns,
    });
    await provider.sendSms({ ...mms, imageUrl: `http://images.shop.test:${port}/sale.jpg` });
    expect(asked).toEqual(['images.shop.test']);
    expect(hosts).toEqual([`images.shop.test:${port}`]);
    expect(uploads).toEqual([jpeg.toString('base64')]);

    // A name that answers public first and private afterwards: the checked public answer is the only one used,
    // and a name whose answers include a private address is refused before any connection.
    let calls = 0;
    const rebinding = async () =>
      ++calls === 1 ? [{ address: '10.0.0.8', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    const production = new SolapiMessagingProvider(credentials, clock, { resolve: rebinding });
    await expect(
      production.sendSms({ ...mms, imageUrl: `https://rebind.shop.test:${port}/a.jpg` }),
    ).rejects.toMatchObject({
      code: 'mms-image',
      message: /private address \(10\.0\.0\.8\)/,
    });
    expect(calls).toBe(1);
    expect(hosts).toHaveLength(1);
    images.close();
    solapi.close();
  });
});

describe('SOLAPI KakaoTalk', () => {
  it('sends AlimTalk as ATA and a Brand Message as BMS with the channel, template and variables, SMS fallback off', async () => {
    const { SolapiMessagingProvider } = await import(
      '../../functions/adapters/aws/messaging/SolapiMessagingProvider.js'
    );
    const bodies: { message: Record<string, unknown> }[] = [];
    const solapi = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        bodies.push(JSON.parse(raw));
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ messageId: `M${bodies.length}`, statusCode: '2000' }));
      });
    });
    await new Promise<void>((r) => solapi.listen(0, '127.0.0.1', () => r()));
    const endpoint = `http://127.0.0.1:${(solapi.address() as AddressInfo).port}`;
    const provider = new SolapiMessagingProvider({ apiKey: 'K', apiSecret: 'S', endpoint }, clock);
    const base = {
      to: '010-1234-5678',
      from: '02-1234-5678',
      channelId: 'KA01PF',
      variables: { '#{이름}': '김민지' },
      text: '김민지님',
      messageRef: 'r',
    };
    expect(await provider.sendKakao({ ...base, kind: 'alimtalk', templateCode: 'TP1', brandType: 'text' })).toBe('M1');
    expect(await provider.sendKakao({ ...base, kind: 'brand', templateCode: 'BM1', brandType: 'wide' })).toBe('M2');
    expect(bodies[0].message).toEqual({
      to: '01012345678',
      from: '0212345678',
      type: 'ATA',
      kakaoOptions: { pfId: 'KA01PF', templateId: 'TP1', variables: { '#{이름}': '김민지' }, disableSms: true },
      customFields: { messageRef: 'r' },
    });
    expect(bodies[1].message).toMatchObject({
      type: 'BMS_WIDE',
      kakaoOptions: { templateId: 'BM1', bms: { targeting: 'I' } },
    });
    // A target the workspace enabled (M: consented non-friends) is what SOLAPI is asked for.
    await provider.sendKakao({ ...base, kind: 'brand', templateCode: 'BM2', brandType: 'text', target: 'M' });
    expect(bodies[2].message.kakaoOptions).toMatchObject({ templateId: 'BM2', bms: { targeting: 'M' } });
    await provider.sendKakao({
      ...base,
      kind: 'alimtalk',
      templateCode: 'TP2',
      brandType: 'text',
      buttons: [{ name: '주문 확인', type: 'WL', linkMobile: 'https://shop.example/o/1' }],
    });
    expect(bodies[3].message.kakaoOptions).toMatchObject({
      buttons: [{ buttonName: '주문 확인', buttonType: 'WL', linkMo: 'https://shop.example/o/1' }],
    });
    solapi.close();
  });
});

describe('the signed webhook channel', () => {
  it('posts signed JSON, retries a 5xx, and reports a 4xx as a refusal', async () => {
    const { WebhookMessagingProvider, webhookSignature } = await import(
      '../../functions/adapters/aws/messaging/WebhookMessagingProvider.js'
    );
    let calls = 0;
    const received: unknown[] = [];
    const hook = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        calls++;
        const valid =
          req.headers['x-retain-signature'] ===
          webhookSignature('hook-secret', String(req.headers['x-retain-timestamp']), raw);
        if (!valid) return res.writeHead(401).end();
        const body = JSON.parse(raw);
        if (body.message.to === 'flaky' && calls === 1) return res.writeHead(503).end();
        if (body.message.to === 'bad')
          return res
            .writeHead(422, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: 'invalid number', code: 'E_NUMBER' }));
        received.push(body);
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: `hook-${received.length}` }));
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/retain`;
    const provider = new WebhookMessagingProvider({ url, secret: 'hook-secret' }, clock, 1);
    const sms = { from: '0212345678', to: 'flaky', type: 'SMS' as const, text: '안녕', messageRef: 'ref' };
    expect(await provider.sendSms(sms)).toBe('hook-1');
    expect(calls).toBe(2);
    expect(received[0]).toEqual({ channel: 'sms', message: sms });
    await expect(provider.sendSms({ ...sms, to: 'bad' })).rejects.toMatchObject({
      name: 'ProviderRejectedError',
      code: 'E_NUMBER',
    });
    const forged = new WebhookMessagingProvider({ url, secret: 'wrong' }, clock, 1);
    await expect(forged.sendSms(sms)).rejects.toMatchObject({ name: 'ProviderRejectedError', code: '401' });
    hook.close();
  });
});

describe('a provider that never answers', () => {
  it('gives up after the timeout and reports throttling (retry later) for FCM, APNs, Web Push, SOLAPI and the webhook', async () => {
    const { WebPushProvider } = await import('../../functions/adapters/aws/push/WebPushProvider.js');
    const { SolapiMessagingProvider } = await import(
      '../../functions/adapters/aws/messaging/SolapiMessagingProvider.js'
    );
    const { WebhookMessagingProvider } = await import(
      '../../functions/adapters/aws/messaging/WebhookMessagingProvider.js'
    );
    const webpush = (await import('web-push')).default;
    // Accepts the connection and says nothing: no HTTP answer, no HTTP/2 handshake.
    const sockets: Socket[] = [];
    const silent = createNetServer((socket) => sockets.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const timeoutMs = 150;
    const fcmSilent = new FcmPushProvider(
      {
        projectId: 'shop',
        clientEmail: 'sa@shop.iam',
        privateKey: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        endpoint: base,
        tokenEndpoint: `${base}/token`,
      },
      clock,
      timeoutMs,
    );
    const apnsSilent = new ApnsPushProvider(
      {
        teamId: 'TEAM',
        keyId: 'KEY',
        privateKey: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        bundleId: 'com.shop.app',
        endpoint: base,
      },
      clock,
      timeoutMs,
    );
    const vapid = webpush.generateVAPIDKeys();
    const browser = (await import('node:crypto')).createECDH('prime256v1');
    browser.generateKeys();
    const webSilent = new WebPushProvider(
      { subject: 'mailto:ops@shop.example', publicKey: vapid.publicKey, privateKey: vapid.privateKey },
      { timeoutMs, allowLoopbackEndpoints: true },
    );
    const subscription = JSON.stringify({
      endpoint: `${base}/sub`,
      keys: { p256dh: browser.getPublicKey('base64url'), auth: Buffer.from('0123456789abcdef').toString('base64url') },
    });
    const sms = { from: '02-1234-5678', to: '010-9876-5432', type: 'SMS' as const, text: '안녕', messageRef: 'r' };
    const solapiSilent = new SolapiMessagingProvider({ apiKey: 'K', apiSecret: 'S', endpoint: base }, clock, {
      timeoutMs,
    });
    const webhookSilent = new WebhookMessagingProvider({ url: `${base}/hook`, secret: 's' }, clock, 1, timeoutMs);

    const started = Date.now();
    await expect(fcmSilent.send({ token: 't' }, message)).rejects.toBeInstanceOf(ProviderThrottledError);
    await expect(apnsSilent.send({ token: 't' }, message)).rejects.toBeInstanceOf(ProviderThrottledError);
    await expect(webSilent.send({ token: subscription }, message)).rejects.toBeInstanceOf(ProviderThrottledError);
    await expect(solapiSilent.sendSms(sms)).rejects.toBeInstanceOf(ProviderThrottledError);
    await expect(webhookSilent.sendSms(sms)).rejects.toBeInstanceOf(ProviderThrottledError);
    // Seven timed-out calls in all (the webhook tries three times); nowhere near a hang.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(sockets.length).toBeGreaterThanOrEqual(5);
    apnsSilent.close();
    for (const socket of sockets) socket.destroy();
    silent.close();
  });
});

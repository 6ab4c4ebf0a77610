// The public, Segment-compatible ingest routes and their Lambda, which writes to the Events table.

import { Validations } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { routes } from '../functions/routes.js';
import { handlerEntries } from './bundling.js';
import type { PublicApi } from './PublicApi.js';
import { RetainFunction } from './RetainFunction.js';
import type { Tables } from './Tables.js';
import { ENV } from '../functions/environment.js';

export type IngestApiProps = { api: PublicApi; tables: Tables; eventRetentionDays: number };

export class IngestApi extends Construct {
  readonly handler: RetainFunction;

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);
    this.handler = new RetainFunction(this, 'Ingest', {
      entry: handlerEntries.ingest,
      description: 'Retain ingest: validates Segment messages and stores them in the Events table',
      environment: { ...props.tables.environment, [ENV.EVENT_RETENTION_DAYS]: String(props.eventRetentionDays) },
    });
    const fn = this.handler.function;
    this.handler.allowTable(props.tables.byKey.events, ['BatchWriteItem']);
    // Write keys are read from Config; rejections are written to its ingest-error log.
    this.handler.allowTable(props.tables.byKey.config, ['GetItem', 'BatchWriteItem']);

    const integration = new HttpLambdaIntegration('IngestIntegration', fn);
    for (const route of routes.filter((r) => r.target === 'ingest')) {
      const methods = [HttpMethod[route.method]];
      const [httpRoute] = props.api.httpApi.addRoutes({ path: route.path, methods, integration });
      Validations.of(httpRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Authorised by write key inside the ingest function: Segment clients may send the key as "writeKey" in the JSON body, which an API Gateway authorizer cannot read. Unknown keys get 401 before anything is stored.',
      });
    }
  }
}

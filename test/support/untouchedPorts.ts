// Journey ports that fail the test (or the benchmark) if anything calls them.

const untouched = () => {
  throw new Error('a port was called');
};

export function untouchedJourneyPorts() {
  return {
    instances: { enter: untouched, get: untouched, save: untouched, listActive: untouched, list: untouched },
    scheduler: { schedule: untouched, cancel: untouched },
    deliveries: { enqueue: untouched },
    profiles: { get: untouched, getMany: untouched, write: untouched, delete: untouched, scan: untouched, scanPage: untouched },
    outcomes: { outcomesOf: untouched },
  };
}

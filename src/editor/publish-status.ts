/** What the publish page and its island show of the publisher: the run now (or the last), the build served. */
import { formatDateTime } from '../shared/dates.ts';
import type { Publisher, PublishRun } from './publisher.ts';

export interface PublishStatus {
  run:
    | {
        id: number;
        by: string;
        state: PublishRun['state'];
        queued: boolean;
        log: string[];
        message: string | undefined;
      }
    | undefined;
  served: { commit: string; at: string; by: string } | undefined;
}

export function publishStatus(publisher: Publisher): PublishStatus {
  const { current, queued, last } = publisher.status();
  const run = current ?? last;
  const served = publisher.served();
  return {
    run: run && {
      id: run.id,
      by: run.by,
      state: run.state,
      queued: queued !== undefined,
      log: run.log.slice(-200),
      message: run.state === 'failed' ? run.message : undefined,
    },
    served: served && {
      commit: served.commit,
      at: formatDateTime(new Date(served.builtAt)),
      by: served.by,
    },
  };
}

/**
 * The runners' reply bookkeeping (thread-replies.ts): each reply answers the
 * oldest task sent to that thread, and a thread's failure fails every task
 * pending or sent later, so a search waiting on a reply never hangs.
 */
import { describe, expect, it } from 'vitest';
import type { PartitionReply } from './level-partition';
import { abortion, threadReplies } from './thread-replies';

const reply = (tableBytes: number) => ({ kind: 'seed', tableBytes, owned: 0 }) as PartitionReply;

describe('threadReplies', () => {
  it('answers each thread’s tasks in the order they were sent', async () => {
    const replies = threadReplies(2);
    const posted: string[] = [];
    const first = replies.send(0, () => posted.push('a'));
    const second = replies.send(0, () => posted.push('b'));
    const other = replies.send(1, () => posted.push('c'));
    replies.receive(1, { reply: reply(3) });
    replies.receive(0, { reply: reply(1) });
    replies.receive(0, { reply: reply(2) });
    expect(posted).toEqual(['a', 'b', 'c']);
    expect(await Promise.all([first, second, other])).toEqual([reply(1), reply(2), reply(3)]);
  });

  it('fails pending and later tasks, and readiness, when a thread reports an error', async () => {
    const replies = threadReplies(2);
    const pending = replies.send(1, () => {});
    replies.receive(0, { error: 'the model is not valid' });
    await expect(pending).rejects.toThrow('checker worker 0: the model is not valid');
    await expect(replies.ready[0]).rejects.toThrow('the model is not valid');
    let posted = false;
    await expect(replies.send(1, () => (posted = true))).rejects.toThrow('checker worker 0');
    expect(posted).toBe(false);
  });

  it('is ready once every thread says so', async () => {
    const replies = threadReplies(2);
    replies.receive(1, { ready: true });
    replies.receive(0, { ready: true });
    await expect(Promise.all(replies.ready)).resolves.toEqual([undefined, undefined]);
  });

  it('abortion rejects once the signal is aborted', async () => {
    const controller = new AbortController();
    const aborted = abortion(controller.signal);
    controller.abort();
    await expect(aborted).rejects.toThrow('not needed any more');
  });
});

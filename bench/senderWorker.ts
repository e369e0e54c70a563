// The entry of the bench's sender worker (bench/chatSender.ts); scripts/bench.mjs bundles it beside the bench.
import { runSenderWorker } from './chatSender';

void runSenderWorker();

export interface WorkerServer {
  origin: string;
  stop(): Promise<void>;
}
export function startWorker(root: string, timeoutMs?: number): Promise<WorkerServer>;

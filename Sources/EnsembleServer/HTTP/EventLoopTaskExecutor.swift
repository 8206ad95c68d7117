import NIOCore

/// Runs a task's jobs on one NIO event loop, so a connection's request handling stays on the
/// thread that reads and writes its socket instead of hopping to the global pool and back.
///
/// Each hop between the event loop and the pool wakes a sleeping thread; with a request read, a
/// handler run and a response written per call, that was most of the server's context switches.
final class EventLoopTaskExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}

/// The facts recorded when a worker's process starts.
package struct ProcessLaunch: Equatable, Sendable {
    package var pid: Int32
    /// The kernel's start time of `pid` (from `/proc/<pid>/stat`), to recognise the process later.
    package var processStartedAt: String?
    package var sessionId: String
    package var logPath: String

    package init(pid: Int32, processStartedAt: String?, sessionId: String, logPath: String) {
        self.pid = pid
        self.processStartedAt = processStartedAt
        self.sessionId = sessionId
        self.logPath = logPath
    }
}

import Foundation

/// Looks at and signals processes that are not our children.
///
/// These are workers left by an earlier server process, found at start-up; Linux `/proc` based.
///
/// A pid alone is never trusted: it must also have the start time recorded when we launched it,
/// so a recycled pid belonging to someone else is never signalled.
package enum ProcessInspector {
    /// The kernel start time of `pid` (field 22 of `/proc/<pid>/stat`), `nil` if it does not run.
    package static func startTime(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3, start time field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z" else { return nil }
        return String(fields[19])
    }

    /// Whether `pid` runs and is the process that started at `startedAt`.
    package static func isAlive(_ pid: Int32, startedAt: String?) -> Bool {
        guard let startedAt, pid > 1 else { return false }
        return startTime(of: pid) == startedAt
    }

    /// Stops the process group led by `pid`: SIGTERM, up to `grace` to exit, then SIGKILL.
    package static func terminateGroup(_ pid: Int32, startedAt: String?, grace: Duration) async {
        guard isAlive(pid, startedAt: startedAt) else { return }
        kill(-pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline, isAlive(pid, startedAt: startedAt) {
            try? await Task.sleep(for: .milliseconds(50))
        }
        kill(-pid, SIGKILL)
    }
}

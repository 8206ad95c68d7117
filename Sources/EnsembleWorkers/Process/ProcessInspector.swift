import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Looks at and signals processes that are not (or no longer) our children: workers left by an
/// earlier server, and what a worker started that escaped its process group.
///
/// A pid alone is never trusted: a process must also have the start time recorded when we
/// launched it, or carry its run's id in `VIBE_ENSEMBLE_RUN_ID`, so a recycled pid belonging to
/// someone else is never signalled. Linux reads `/proc`; macOS asks the kernel (`proc_pidinfo`,
/// `sysctl(KERN_PROCARGS2)`).
package enum ProcessInspector {
    /// The environment variable every process of one worker run carries (children inherit it).
    package static let runIDVariable = "VIBE_ENSEMBLE_RUN_ID"

    /// The kernel start time of `pid`, `nil` if it does not run (or is a zombie).
    package static func startTime(of pid: Int32) -> String? {
        #if os(Linux)
        guard let stat = ProcStat(of: pid), stat.state != "Z" else { return nil }
        return stat.startTime
        #elseif os(macOS)
        var info = proc_bsdinfo()
        let size = Int32(MemoryLayout<proc_bsdinfo>.size)
        // 5 is SZOMB (sys/proc.h, not exported to Swift): a zombie has ended.
        guard proc_pidinfo(pid, PROC_PIDTBSDINFO, 0, &info, size) == size, info.pbi_status != 5 else {
            return nil
        }
        return "\(info.pbi_start_tvsec).\(info.pbi_start_tvusec)"
        #else
        return nil
        #endif
    }

    /// Whether `pid` runs and is the process that started at `startedAt`.
    package static func isAlive(_ pid: Int32, startedAt: String?) -> Bool {
        guard let startedAt, pid > 1 else { return false }
        return startTime(of: pid) == startedAt
    }

    /// The live processes (this user's) whose environment carries `VIBE_ENSEMBLE_RUN_ID=runID`.
    package static func processes(ofRun runID: String) -> [Int32] {
        let marker = Array("\(runIDVariable)=\(runID)".utf8)
        let own = getpid()
        return allPIDs().filter { pid in
            pid != own && pid > 1 && startTime(of: pid) != nil
                && environment(of: pid).map { holds(marker, in: $0) } == true
        }
    }

    /// Stops the process group led by `pid` (SIGTERM, up to `grace`, then SIGKILL), then every
    /// process still carrying `runID`: those that left the group, or all of them when the leader
    /// is already gone.
    package static func terminate(_ pid: Int32?, startedAt: String?, runID: String?, grace: Duration) async {
        if let pid, isAlive(pid, startedAt: startedAt) {
            kill(-pid, SIGTERM)
            let deadline = ContinuousClock.now + grace
            while ContinuousClock.now < deadline, isAlive(pid, startedAt: startedAt) {
                try? await Task.sleep(for: .milliseconds(50))
            }
            kill(-pid, SIGKILL)
        }
        if let runID {
            killAll(ofRun: runID)
        }
    }

    /// Sends SIGKILL to every process carrying `runID`, looking again a few times: a process
    /// that forked while the first look ran has a child the first look did not see.
    /// - Returns: How many were signalled.
    @discardableResult
    package static func killAll(ofRun runID: String) -> Int {
        var signalled: Set<Int32> = []
        for _ in 0..<4 {
            let found = processes(ofRun: runID)
            if found.isEmpty { break }
            for pid in found { kill(pid, SIGKILL) }
            signalled.formUnion(found)
        }
        return signalled.count
    }

    // MARK: - Platform

    private static func allPIDs() -> [Int32] {
        #if os(Linux)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init)
        #elseif os(macOS)
        let count = proc_listallpids(nil, 0)
        guard count > 0 else { return [] }
        var pids = [Int32](repeating: 0, count: Int(count) + 64)
        let filled = proc_listallpids(&pids, Int32(pids.count * MemoryLayout<Int32>.size))
        return Array(pids.prefix(Int(max(0, filled))))
        #else
        return []
        #endif
    }

    /// The raw environment block of `pid` (`NAME=value` entries separated by NUL), when readable.
    private static func environment(of pid: Int32) -> [UInt8]? {
        #if os(Linux)
        return FileManager.default.contents(atPath: "/proc/\(pid)/environ").map { Array($0) }
        #elseif os(macOS)
        // KERN_PROCARGS2: argc, the executable path, argv and then the environment, NUL-separated.
        var mib: [Int32] = [CTL_KERN, KERN_PROCARGS2, pid]
        var size = 0
        guard sysctl(&mib, 3, nil, &size, nil, 0) == 0, size > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: size)
        guard sysctl(&mib, 3, &buffer, &size, nil, 0) == 0 else { return nil }
        return Array(buffer.prefix(size))
        #else
        return nil
        #endif
    }

    /// Whether `marker` is one whole NUL-separated entry of `block`.
    private static func holds(_ marker: [UInt8], in block: [UInt8]) -> Bool {
        block.split(separator: 0, omittingEmptySubsequences: true).contains { $0.elementsEqual(marker) }
    }
}

#if os(Linux)
/// The fields of `/proc/<pid>/stat` the inspector reads.
struct ProcStat {
    /// Field 3: `R`, `S`, … or `Z` for a zombie.
    let state: Substring
    /// Field 4: the parent's pid.
    let parent: Int32
    /// Field 22: the start time in clock ticks since boot, kept as text.
    let startTime: String

    init?(of pid: Int32) {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // The fields after the command name, which may itself hold spaces and parentheses.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let parent = Int32(fields[1]) else { return nil }
        state = fields[0]
        self.parent = parent
        startTime = String(fields[19])
    }
}
#endif

package import Foundation

/// A fresh directory under the system's temporary directory, for one test.
package struct TemporaryDirectory: Sendable {
    /// The directory's canonical path (symbolic links resolved, as `ProjectDirectory` stores it).
    package let path: String

    /// Creates the directory.
    package init(_ label: String = "test") throws {
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent(
            "vibe-ensemble-\(label)-\(UUID().uuidString.prefix(8))"
        )
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = URL(fileURLWithPath: base).resolvingSymlinksInPath().path
    }

    /// A path inside the directory.
    package func appending(_ component: String) -> String {
        (path as NSString).appendingPathComponent(component)
    }

    /// Removes the directory and everything in it.
    package func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

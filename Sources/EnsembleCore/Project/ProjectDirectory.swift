import Foundation

/// Turns a path given by the coordinator into the canonical path of an existing directory.
///
/// Resolving with `realpath` removes `..`, `.` and symbolic links, so what is stored is the
/// directory a worker really runs in, never a path that could later point elsewhere.
package enum ProjectDirectory {
    /// Resolves `path` to the canonical absolute path of an existing directory.
    /// - Throws: `EnsembleError` when the path is relative, missing or not a directory.
    package static func resolve(_ path: String) throws(EnsembleError) -> String {
        // A NUL would cut the C string short and register its prefix; other controls are never meant.
        if let violation = TextLimit.path.violation(of: path, field: "The path") {
            throw .invalidArgument(violation)
        }
        guard path.hasPrefix("/") else {
            throw .invalidArgument("Path '\(path)' is not absolute. Give the absolute path of the project's directory.")
        }
        guard let resolved = realpath(path, nil) else {
            throw .pathNotFound(path)
        }
        defer { free(resolved) }
        let canonical = String(cString: resolved)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: canonical, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notADirectory(path)
        }
        return canonical
    }
}

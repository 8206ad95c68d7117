import EnsembleCore
import EnsembleTestSupport
import Foundation
import Testing

struct ProjectDirectoryTests {
    @Test func resolvesToTheCanonicalDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.appending("sub"), withIntermediateDirectories: true)
        #expect(try ProjectDirectory.resolve(directory.appending("sub/../sub/.")) == directory.appending("sub"))
    }

    @Test func rejectsMissingRelativeAndNonDirectoryPaths() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        FileManager.default.createFile(atPath: directory.appending("file"), contents: Data())
        #expect(throws: EnsembleError.pathNotFound(directory.appending("missing"))) {
            try ProjectDirectory.resolve(directory.appending("missing"))
        }
        #expect(throws: EnsembleError.notADirectory(directory.appending("file"))) {
            try ProjectDirectory.resolve(directory.appending("file"))
        }
        #expect(throws: EnsembleError.self) { try ProjectDirectory.resolve("relative/path") }
    }
}

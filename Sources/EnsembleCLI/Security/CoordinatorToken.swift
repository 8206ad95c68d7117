import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The coordinator's secret: a random bearer token kept 0600 in the data directory, the way
/// Jupyter keeps its server token, so other local users cannot drive the server.
enum CoordinatorToken {
    /// The token file's name in the data directory.
    static let fileName = "coordinator-token"

    /// The token file of `dataDirectory`.
    static func path(in dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent(fileName)
    }

    /// Whether `token` may be used: 16 or more characters, none of them spaces or controls.
    static func isAcceptable(_ token: String) -> Bool {
        token.count >= 16 && !token.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 }
    }

    /// The token in `file`, without its trailing line break.
    /// - Throws: `ConfigurationError.unreadableTokenFile`, also when other users may read the file.
    static func read(file: String) throws(ConfigurationError) -> String {
        if let mode = (try? FileManager.default.attributesOfItem(atPath: file))?[.posixPermissions] as? NSNumber,
            mode.uint16Value & 0o077 != 0
        {
            throw .unreadableTokenFile(
                path: file,
                reason: "other users may read it (mode \(String(mode.uint16Value & 0o777, radix: 8))); "
                    + "make it private with chmod 600"
            )
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .unreadableTokenFile(path: file, reason: "it does not exist or is not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadableTokenFile(path: file, reason: "it is not UTF-8 text")
        }
        return text.trimmingCharacters(in: .newlines)
    }

    /// The data directory's token, created (64 hex digits, mode 0600) when there is none yet.
    /// - Returns: The token, its file, and whether this call created it.
    /// - Throws: `ConfigurationError.unreadableTokenFile` when the file cannot be read or written.
    static func loadOrCreate(in dataDirectory: String) throws(ConfigurationError) -> (
        token: String, path: String, created: Bool
    ) {
        let path = path(in: dataDirectory)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            guard errno == EEXIST else {
                throw .unreadableTokenFile(path: path, reason: String(cString: strerror(errno)))
            }
            PrivateFiles.restrict(path, to: 0o600)
            let token = try read(file: path)
            guard isAcceptable(token) else {
                throw .unreadableTokenFile(path: path, reason: "it holds no usable token; delete it to get a new one")
            }
            return (token, path, false)
        }
        defer { close(descriptor) }
        let token = generate()
        let bytes = Array((token + "\n").utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw .unreadableTokenFile(path: path, reason: reason)
        }
        return (token, path, true)
    }

    /// 32 bytes from the system's cryptographic generator, as hex.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }
            .joined()
    }
}

/// A tool call whose arguments do not fit the tool's schema.
///
/// Reported to the caller as a tool result with `isError: true`, never as a protocol error, so a
/// model can read the sentence and correct its call.
package enum ToolError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingArgument(tool: String, name: String)
    case unknownArgument(tool: String, name: String, allowed: [String])
    case wrongType(name: String, expected: String)
    case notOneOf(name: String, value: String, allowed: [String])
    case outOfRange(name: String, value: Int, minimum: Int?, maximum: Int?)
    case emptyString(name: String)
    /// Text that breaks its `TextLimit`; the sentence names the argument.
    case badText(String)

    package var description: String {
        switch self {
        case .missingArgument(let tool, let name):
            return "Missing required argument '\(name)' for \(tool)."
        case .unknownArgument(let tool, let name, let allowed):
            let list = allowed.isEmpty ? "it takes no arguments" : "allowed: \(allowed.joined(separator: ", "))"
            return "Unknown argument '\(name)' for \(tool); \(list)."
        case .wrongType(let name, let expected):
            return "Argument '\(name)' must be \(expected)."
        case .notOneOf(let name, let value, let allowed):
            return "Argument '\(name)' is '\(value)' but must be one of: \(allowed.joined(separator: ", "))."
        case .outOfRange(let name, let value, let minimum, let maximum):
            let bounds = [minimum.map { "at least \($0)" }, maximum.map { "at most \($0)" }].compactMap { $0 }
            return "Argument '\(name)' is \(value) but must be \(bounds.joined(separator: " and "))."
        case .emptyString(let name):
            return "Argument '\(name)' must not be empty."
        case .badText(let sentence):
            return sentence
        }
    }
}

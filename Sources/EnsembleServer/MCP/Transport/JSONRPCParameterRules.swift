import MCP

/// The `params` shape of the requests this server answers, checked before the SDK decodes them,
/// so a wrong shape is a `-32602` naming the field rather than the SDK's `-32603`.
enum JSONRPCParameterRules {
    /// Why `params` do not fit `method`, or `nil` when they do (or the method is not checked).
    static func refusal(method: String, params: Value?) -> String? {
        guard let params else {
            return method == "initialize"
                ? "initialize needs params with protocolVersion, capabilities and clientInfo." : nil
        }
        guard let object = params.objectValue else {
            return "params of \(method) must be an object, not \(kind(of: params))."
        }
        switch method {
        case "initialize":
            return initializeRefusal(object)
        case "tools/call", "call_tool":
            guard let name = object["name"] else { return "params.name of \(method) is missing: name the tool." }
            guard name.stringValue != nil else { return "params.name of \(method) must be a string." }
            if let arguments = object["arguments"], arguments.objectValue == nil, arguments != .null {
                return "params.arguments of \(method) must be an object, not \(kind(of: arguments))."
            }
            return nil
        case "logging/setLevel":
            return object["level"]?.stringValue == nil ? "params.level of logging/setLevel must be a string." : nil
        default:
            return nil
        }
    }

    private static func initializeRefusal(_ object: [String: Value]) -> String? {
        guard object["protocolVersion"]?.stringValue != nil else {
            return "params.protocolVersion of initialize must be a string such as \"\(Version.latest)\"."
        }
        guard object["capabilities"]?.objectValue != nil else {
            return "params.capabilities of initialize must be an object (it may be empty)."
        }
        guard let info = object["clientInfo"]?.objectValue else {
            return "params.clientInfo of initialize must be an object with name and version."
        }
        guard info["name"]?.stringValue != nil, info["version"]?.stringValue != nil else {
            return "params.clientInfo of initialize needs string fields name and version."
        }
        return nil
    }

    private static func kind(of value: Value) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .data: "data"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

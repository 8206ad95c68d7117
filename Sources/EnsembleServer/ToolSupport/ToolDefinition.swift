package import MCP

/// What a tool is: name, description, parameters and the effect it has, from which the MCP
/// `Tool` (with its input schema and annotations) is derived.
package struct ToolDefinition: Sendable {
    /// What calling a tool does to the server's state, reported as MCP annotations.
    package enum Effect: Sendable {
        /// Reads only.
        case readOnly
        /// Adds something new; calling twice adds twice.
        case additive
        /// Changes or removes existing state; calling twice with the same arguments changes nothing more.
        case idempotentChange
        /// Changes existing state; calling twice is refused or changes more.
        case destructive
    }

    package var name: String
    package var title: String
    package var description: String
    package var parameters: [ToolParameter]
    package var effect: Effect
    /// Whether a call may wait a long time for something to happen (a long poll): its answer is
    /// streamed, so the client has its headers and a resumable event id at once.
    package var waits: Bool

    package init(
        name: String,
        title: String,
        description: String,
        parameters: [ToolParameter] = [],
        effect: Effect,
        waits: Bool = false
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.parameters = parameters
        self.effect = effect
        self.waits = waits
    }

    /// The MCP tool: a strict input schema (`additionalProperties: false`) and truthful hints.
    package var tool: Tool {
        Tool(
            name: name,
            title: title,
            description: description,
            inputSchema: ToolParameter.objectSchema(of: parameters),
            annotations: annotations
        )
    }

    private var annotations: Tool.Annotations {
        switch effect {
        case .readOnly:
            Tool.Annotations(title: title, readOnlyHint: true, openWorldHint: false)
        case .additive:
            Tool.Annotations(
                title: title,
                readOnlyHint: false,
                destructiveHint: false,
                idempotentHint: false,
                openWorldHint: false
            )
        case .idempotentChange:
            Tool.Annotations(
                title: title,
                readOnlyHint: false,
                destructiveHint: true,
                idempotentHint: true,
                openWorldHint: false
            )
        case .destructive:
            Tool.Annotations(
                title: title,
                readOnlyHint: false,
                destructiveHint: true,
                idempotentHint: false,
                openWorldHint: false
            )
        }
    }
}

import EnsembleCore
import EnsembleServer
import MCP
import Testing

struct ToolArgumentsTests {
    private let definition = ToolDefinition(
        name: "sample",
        title: "Sample",
        description: "A tool for tests.",
        parameters: [
            .required("name", .string, "n"),
            .optional("count", .integer(minimum: 1, maximum: 10), "c"),
            .optional("flag", .boolean, "f"),
            .optional("tags", .stringList, "t"),
            .optional("status", .oneOf(["Completed", "Stopped"]), "s"),
            .optional("stage", .integerOrString, "st"),
            .optional("body", .text(.report), "b"),
        ],
        effect: .readOnly
    )

    @Test func normalisesWhatModelsCommonlySend() throws {
        let arguments = try ToolArguments(
            validating: [
                "name": "x", "count": "3", "flag": "true", "tags": #"["a","b"]"#, "status": "completed", "stage": "2",
            ],
            for: definition
        )
        #expect(arguments.integer("count") == 3)
        #expect(arguments.boolean("flag") == true)
        #expect(arguments.strings("tags") == ["a", "b"])
        #expect(arguments.string("status") == "Completed")
        #expect(arguments.integer("stage") == 2)
    }

    @Test func treatsNullAsAbsent() throws {
        let arguments = try ToolArguments(validating: ["name": "x", "count": .null], for: definition)
        #expect(arguments.integer("count") == nil)
    }

    @Test func rejectsUnknownMissingAndMistypedArguments() {
        #expect(
            throws: ToolError.unknownArgument(tool: "sample", name: "nam", allowed: definition.parameters.map(\.name))
        ) {
            try ToolArguments(validating: ["name": "x", "nam": "y"], for: definition)
        }
        #expect(throws: ToolError.missingArgument(tool: "sample", name: "name")) {
            try ToolArguments(validating: nil, for: definition)
        }
        #expect(throws: ToolError.emptyString(name: "name")) {
            try ToolArguments(validating: ["name": " "], for: definition)
        }
        #expect(throws: ToolError.wrongType(name: "count", expected: "an integer")) {
            try ToolArguments(validating: ["name": "x", "count": "three"], for: definition)
        }
        #expect(throws: ToolError.outOfRange(name: "count", value: 11, minimum: 1, maximum: 10)) {
            try ToolArguments(validating: ["name": "x", "count": 11], for: definition)
        }
        #expect(throws: ToolError.wrongType(name: "tags", expected: "a list of strings")) {
            try ToolArguments(validating: ["name": "x", "tags": [1, 2]], for: definition)
        }
        #expect(throws: ToolError.notOneOf(name: "status", value: "done", allowed: ["Completed", "Stopped"])) {
            try ToolArguments(validating: ["name": "x", "status": "done"], for: definition)
        }
        #expect(throws: ToolError.wrongType(name: "name", expected: "a string")) {
            try ToolArguments(validating: ["name": 5], for: definition)
        }
    }

    @Test func refusesControlCharactersAndOverlongTextInEveryStringArgument() throws {
        let nul = try #require(throwing(["name": "DIR/\u{0}/etc"]))
        #expect(nul.description.contains("Argument 'name' contains a NUL character"))
        let lineBreak = try #require(throwing(["name": "two\nlines"]))
        #expect(lineBreak.description.contains("single line"))
        let long = try #require(throwing(["name": .string(String(repeating: "n", count: 257))]))
        #expect(long.description == "Argument 'name' is 257 characters long, over the limit of 256: shorten it.")
        let tag = try #require(throwing(["name": "x", "tags": ["ok", "b\u{1B}[31m"]]))
        #expect(tag.description.contains("Item 1 of 'tags' contains the control character U+001B"))
        let many = try #require(throwing(["name": "x", "tags": .array((0...100).map { .string("t\($0)") })]))
        #expect(many.description == "Argument 'tags' has 101 items, over the limit of 100.")
        let report = String(repeating: "r", count: TextLimit.report.maximumLength)
        #expect(throwing(["name": "x", "body": .string(report + "\n\tmore")]) != nil)
        #expect(throwing(["name": "x", "body": .string("line\n\tindented")]) == nil)
    }

    @Test func theSchemaDocumentsEveryLimit() {
        let properties = definition.tool.inputSchema.objectValue?["properties"]?.objectValue
        #expect(properties?["name"]?.objectValue?["maxLength"] == 256)
        #expect(properties?["body"]?.objectValue?["maxLength"] == .int(TextLimit.report.maximumLength))
        #expect(properties?["tags"]?.objectValue?["maxItems"] == 100)
    }

    private func throwing(_ raw: [String: Value]) -> ToolError? {
        do {
            _ = try ToolArguments(validating: raw, for: definition)
            return nil
        } catch {
            return error
        }
    }

    @Test func schemaIsStrict() {
        let schema = definition.tool.inputSchema.objectValue
        #expect(schema?["additionalProperties"] == false)
        #expect(schema?["required"] == ["name"])
        #expect(definition.tool.annotations.readOnlyHint == true)
    }
}

package import Foundation

/// A specialised kind of worker in a project: its system prompt and how its `claude` runs.
package struct WorkerType: Equatable, Sendable, Codable {
    package var projectId: ProjectID
    package var workerType: WorkerTypeName
    package var description: String?
    package var systemPrompt: String
    package var settings: WorkerTypeSettings
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        projectId: ProjectID,
        workerType: WorkerTypeName,
        description: String?,
        systemPrompt: String,
        settings: WorkerTypeSettings,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.projectId = projectId
        self.workerType = workerType
        self.description = description
        self.systemPrompt = systemPrompt
        self.settings = settings
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey {
        case projectId, workerType, description, systemPrompt, createdAt, updatedAt
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        projectId = try container.decode(ProjectID.self, forKey: .projectId)
        workerType = try container.decode(WorkerTypeName.self, forKey: .workerType)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        systemPrompt = try container.decode(String.self, forKey: .systemPrompt)
        settings = try WorkerTypeSettings(from: decoder)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        updatedAt = try container.decode(Date.self, forKey: .updatedAt)
    }

    /// Encodes the settings flat beside the other fields, as the tools present them.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(projectId, forKey: .projectId)
        try container.encode(workerType, forKey: .workerType)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(systemPrompt, forKey: .systemPrompt)
        try settings.encode(to: encoder)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

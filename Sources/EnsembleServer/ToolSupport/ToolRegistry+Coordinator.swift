package import EnsembleCore
package import Logging

extension ToolRegistry {
    /// The coordinator's tools: projects, worker types, tickets and events.
    package static func coordinator(context: ToolContext, logger: Logger) -> ToolRegistry {
        ToolRegistry(
            [
                CreateProjectTool(context: context),
                ListProjectsTool(context: context),
                GetProjectTool(context: context),
                UpdateProjectTool(context: context),
                DeleteProjectTool(context: context),
                CreateWorkerTypeTool(context: context),
                ListWorkerTypesTool(context: context),
                GetWorkerTypeTool(context: context),
                UpdateWorkerTypeTool(context: context),
                DeleteWorkerTypeTool(context: context),
                CreateTicketTool(context: context),
                GetTicketTool(context: context),
                ListTicketsTool(context: context),
                UpdateTicketStageTool(context: context),
                AddTicketCommentTool(context: context),
                CloseTicketTool(context: context),
                GetEventsTool(context: context),
                MarkEventsProcessedTool(context: context),
            ],
            logger: logger
        )
    }
}

package import EnsembleCore
package import Logging

extension ToolRegistry {
    /// The tools `context.caller` may use: everything for the coordinator, the worker tools for a worker.
    package static func `for`(_ context: ToolContext, logger: Logger) -> ToolRegistry {
        switch context.caller {
        case .coordinator: coordinator(context: context, logger: logger)
        case .worker: worker(context: context, logger: logger)
        }
    }

    /// A worker's tools, scoped by `context.caller` to its own queue and tickets.
    package static func worker(context: ToolContext, logger: Logger) -> ToolRegistry {
        ToolRegistry(
            [
                GetQueueTasksTool(context: context),
                GetNextTaskTool(context: context),
                GetTicketTool(context: context),
                AddTicketCommentTool(context: context),
                CompleteTicketStageTool(context: context),
            ],
            logger: logger
        )
    }

    /// The coordinator's tools: projects, worker types, workers, queues, tickets and events,
    /// plus the worker tools so it can act as a worker itself.
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
                SpawnWorkerTool(context: context),
                StopWorkerTool(context: context),
                ListWorkersTool(context: context),
                GetWorkerStatusTool(context: context),
                ListQueuesTool(context: context),
                GetQueueStatusTool(context: context),
                DeleteQueueTool(context: context),
                AssignTaskTool(context: context),
                CreateTicketTool(context: context),
                GetTicketTool(context: context),
                ListTicketsTool(context: context),
                UpdateTicketStageTool(context: context),
                AddTicketDependencyTool(context: context),
                RemoveTicketDependencyTool(context: context),
                AddTicketCommentTool(context: context),
                CloseTicketTool(context: context),
                GetEventsTool(context: context),
                MarkEventsProcessedTool(context: context),
                WaitForEventsTool(context: context),
                GetQueueTasksTool(context: context),
                GetNextTaskTool(context: context),
                CompleteTicketStageTool(context: context),
            ],
            logger: logger
        )
    }
}

/// Everything the tools need from persistence, as one port.
package typealias Repository = ProjectStore & WorkerTypeStore & TicketStore & EventStore & WorkerStore & QueueStore
    & RetentionStore & RunStore & WorktreeStore & HealthCheck

/// Who a worker is: the facts that never change over its life, used to scope what it may do.
package struct WorkerIdentity: Equatable, Hashable, Sendable, Codable {
    package var workerId: WorkerID
    package var projectId: ProjectID
    package var workerType: WorkerTypeName
    package var queueName: QueueName

    package init(workerId: WorkerID, projectId: ProjectID, workerType: WorkerTypeName, queueName: QueueName) {
        self.workerId = workerId
        self.projectId = projectId
        self.workerType = workerType
        self.queueName = queueName
    }
}

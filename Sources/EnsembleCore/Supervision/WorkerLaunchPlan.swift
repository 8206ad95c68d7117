/// Everything needed to start a worker's process: who it is, its type, and its project.
package struct WorkerLaunchPlan: Equatable, Sendable {
    package var worker: Worker
    package var workerType: WorkerType
    package var project: Project

    package init(worker: Worker, workerType: WorkerType, project: Project) {
        self.worker = worker
        self.workerType = workerType
        self.project = project
    }
}

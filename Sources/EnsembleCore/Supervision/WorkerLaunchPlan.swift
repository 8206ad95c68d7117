/// Everything needed to start a worker's process: who it is, its type, and its project.
package struct WorkerLaunchPlan: Equatable, Sendable {
    package var worker: Worker
    package var workerType: WorkerType
    package var project: Project
    /// Every worker type of the project, for a worker that plans tickets for them.
    package var projectWorkerTypes: [WorkerTypeName]

    package init(worker: Worker, workerType: WorkerType, project: Project, projectWorkerTypes: [WorkerTypeName] = []) {
        self.worker = worker
        self.workerType = workerType
        self.project = project
        self.projectWorkerTypes = projectWorkerTypes
    }
}

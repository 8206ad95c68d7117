import EnsembleCore
import EnsembleServer
import Testing

struct CallerAuthenticatorTests {
    private let credentials = WorkerCredentials()
    private let identity = WorkerIdentity(
        workerId: WorkerID(uncheckedRawValue: "worker_coder_1"),
        projectId: ProjectID(uncheckedRawValue: "a/b"),
        workerType: WorkerTypeName(uncheckedRawValue: "coder"),
        queueName: QueueName(uncheckedRawValue: "queue_coder_1")
    )

    @Test func withoutACoordinatorTokenOnlyNoTokenMeansCoordinator() {
        let authenticator = CallerAuthenticator(credentials: credentials)
        let token = credentials.issue(for: identity)
        #expect(authenticator.caller(authorization: nil) == .coordinator)
        #expect(authenticator.caller(authorization: "Bearer \(token)") == .worker(identity))
        #expect(authenticator.caller(authorization: "Bearer made-up") == nil)
        #expect(authenticator.caller(authorization: "Basic abc") == nil)
    }

    @Test func withACoordinatorTokenTheCoordinatorMustPresentIt() {
        let authenticator = CallerAuthenticator(credentials: credentials, coordinatorToken: "s3cret-s3cret-s3cret")
        #expect(authenticator.caller(authorization: nil) == nil)
        #expect(authenticator.caller(authorization: "Bearer s3cret-s3cret-s3cre") == nil)
        #expect(authenticator.caller(authorization: "bearer s3cret-s3cret-s3cret") == .coordinator)
        let token = credentials.issue(for: identity)
        #expect(authenticator.caller(authorization: "Bearer \(token)") == .worker(identity))
    }
}

/// The guide sent to a worker's Claude Code in the `initialize` result; its system prompt says more.
enum WorkerInstructions {
    static let text = """
        You are a vibe-ensemble worker. Loop: get_next_task on your queue → get_ticket → do your stage → \
        complete_ticket_stage with a detailed report. When get_next_task says the queue is empty, end your turn.
        """
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval` would hold it.
    package var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}

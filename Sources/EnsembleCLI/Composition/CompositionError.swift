import EnsembleStore

/// A part of the server that cannot be built, reported as one line at start-up.
enum CompositionError: Error, CustomStringConvertible {
    case store(StoreError)
    case configuration(ConfigurationError)

    var description: String {
        switch self {
        case .store(let error): error.description
        case .configuration(let error): error.description
        }
    }
}

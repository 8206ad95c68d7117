import ArgumentParser
import EnsembleCLI

/// The executable: hands the command line to the root command.
@main
enum Entrypoint {
    static func main() async {
        await EnsembleCommand.main()
    }
}

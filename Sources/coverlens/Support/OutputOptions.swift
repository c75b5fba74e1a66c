import ArgumentParser

/// `--quiet`, `--verbose` and `--json`: how much a command says, and in what form.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print errors only: no progress, results table or warnings (the exit status still says what happened).")
    var quiet = false

    @Flag(name: .long, help: "Also say what the run uses: the model and its preprocessing, the cache.")
    var verbose = false

    @Flag(name: .long, help: ArgumentHelp(
        "Print one JSON document on standard output at the end: what was done, where it was written, what was skipped and why.",
        discussion: "Lines meant for people go to standard error instead (none with --quiet)."))
    var json = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose contradict each other; give one") }
    }

    /// The parsed choice, as a plain value (an unparsed ParsableArguments cannot be read).
    var mode: OutputMode { OutputMode(quiet: quiet, verbose: verbose, json: json) }
}

/// How much a command says, and in what form (`OutputOptions`); commands without those flags use
/// the default: results on standard output, warnings and progress on standard error.
struct OutputMode {
    var quiet = false
    var verbose = false
    var json = false
}

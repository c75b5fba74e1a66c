import ArgumentParser

/// The options of the commands that read folders of covers through the network and say what they
/// did (embed, score): how covers are read, the model and threads, the cache or store, and how
/// much is printed.
struct ScanOptions: ParsableArguments {
    @OptionGroup var input: InputOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var cache: CacheOptions
    @OptionGroup var output: OutputOptions
}

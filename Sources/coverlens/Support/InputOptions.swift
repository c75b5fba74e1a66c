import ArgumentParser
import Imaging

/// Options shared by every command that reads folders of covers: how large an image may be
/// before it is refused as a decompression bomb, and whether symlinks may lead outside the folders.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "Refuse images over this many megapixels (decompression-bomb guard).")
    var maxMegapixels: Double = DecodeLimits.default.maxMegapixels

    @Flag(name: .long, help: "Follow symlinks that lead outside the input folders.")
    var followSymlinks = false

    @Flag(name: .long, help: ArgumentHelp(
        "Use JPEGs cut inside their image data, with the missing part grey (they are skipped otherwise).",
        discussion: "JPEGs that lack only their end marker or the refinement scans of a progressive file are used either way, with a warning."))
    var allowTruncated = false

    /// The decode limits these options ask for.
    var limits: DecodeLimits { DecodeLimits(maxMegapixels: maxMegapixels, allowsTruncated: allowTruncated) }

    func validate() throws {
        guard maxMegapixels.isFinite, maxMegapixels > 0 else {
            throw ValidationError("--max-megapixels must be a positive number, got \(maxMegapixels)")
        }
    }
}

/// The value of a setting spelled `on|off` (`--colour-management`, `--jpeg-draft`), so that "not
/// given" stays apart from both and leaves the model file's own setting.
enum OnOffSetting: String, ExpressibleByArgument, CaseIterable {
    case on, off
}

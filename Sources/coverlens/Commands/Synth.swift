import ArgumentParser
import CoverSynth
import Foundation
import Runs

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a synthetic set of book covers (no real artwork) to try CoverLens on.",
        discussion: """
            Draws covers in five genre styles (thriller, romance, science-fiction, \
            literary, children) with English and Korean titles:

              OUT/popular/      --per-class covers: more contrast, bigger titles,
                                a single focal image (on average)
              OUT/other/        --per-class covers: busier, flatter, smaller type
              OUT/candidates/   --candidates new designs of both kinds to score
              OUT/manifest.csv  file, class, style and seed of every cover

            popular/ and other/ are the two classes for `coverlens train OUT`; \
            candidates/ is never taken as a class (train names it as unused).

            The classes overlap on purpose, as real covers do: a model can learn \
            the difference, but not perfectly. The same --seed gives the same \
            files byte for byte, given the same fonts (fonts-dejavu-core, \
            fonts-urw-base35, fonts-noto-cjk).

            Examples:
              coverlens synth --out Examples --per-class 60 --candidates 8 --seed 7
              coverlens synth --out Output/big --per-class 500 --seed 1 --replace
              coverlens train Output/big

            --count is the old name of --per-class and still works, with a warning.

            \(ExitStatus.help)
            """)

    @Option(help: ArgumentHelp("Folder to write the covers into (created if missing).", valueName: "dir"))
    var out: String

    @Option(name: .customLong("per-class"),
            help: ArgumentHelp("Covers in each class folder: popular/ and other/ each get this many (default 60).", valueName: "n"))
    var perClass: Int?

    /// The old name of `--per-class`, which read as the size of the whole set: kept so scripts keep working.
    @Option(help: ArgumentHelp("Old name of --per-class.", visibility: .hidden))
    var count: Int?

    @Option(help: "Seed of the whole set: the same seed regenerates the same files.")
    var seed: UInt64 = 1

    @Option(help: "Candidate covers to score (both classes, every style; some with Korean names).")
    var candidates: Int = 8

    @Option(name: .customLong("class-gap"), help: ArgumentHelp(
        "How far apart the two classes lie, as a share of the default (1); smaller is harder to tell apart (0.3: much overlap).",
        valueName: "g"))
    var classGap: Double = 1

    @Flag(help: "Delete the popular/, other/ and candidates/ folders under --out first if they hold files.")
    var replace = false

    static let defaultPerClass = 60

    /// Bad numbers are usage errors (exit 64) that name the flag, found before anything is drawn.
    func validate() throws {
        if perClass != nil, count != nil {
            throw ValidationError("--count is the old name of --per-class; give only --per-class")
        }
        guard (0...2).contains(classGap) else { throw ValidationError("--class-gap must be between 0 and 2, got \(classGap)") }
        do {
            _ = try synthSet()
        } catch let error as CoverSynthError {
            throw ValidationError(error.description)
        }
    }

    private func synthSet() throws -> SynthSet {
        try SynthSet(perClass: perClass ?? count ?? Self.defaultPerClass, candidates: candidates, seed: seed)
    }

    func run() throws {
        if count != nil {
            printError("warning: --count is deprecated; use --per-class (the same number: covers in each class folder)")
        }
        let set = try synthSet()
        let folder = URL(fileURLWithPath: out)
        var generator = try CoverGenerator()
        generator.classGap = classGap
        // One line rewritten in place on a terminal; a line per tenth in a log file.
        let terminal = isatty(STDERR_FILENO) == 1
        let rows = try set.write(to: folder, generator: generator, replace: replace) { done, total in
            if terminal {
                FileHandle.standardError.write(Data("\rsynth: \(done)/\(total) covers".utf8))
                if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
            } else if done == total || done % max(1, total / 10) == 0 {
                FileHandle.standardError.write(Data("synth: \(done)/\(total) covers\n".utf8))
            }
        }
        print("Wrote \(rows.count) covers and manifest.csv to \(folder.path)")
    }
}

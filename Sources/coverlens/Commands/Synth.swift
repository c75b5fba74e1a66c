import ArgumentParser
import CoverSynth
import Foundation

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a synthetic set of book covers (no real artwork) to try CoverLens on.",
        discussion: """
            Draws covers in five genre styles (thriller, romance, science-fiction, \
            literary, children) with English and Korean titles, in the class-folder \
            layout that `coverlens train` reads:

              OUT/popular/      --count covers: more contrast, bigger titles,
                                a single focal image (on average)
              OUT/other/        --count covers: busier, flatter, smaller type
              OUT/candidates/   --candidates new designs of both kinds to score
              OUT/manifest.csv  file, class, style and seed of every cover

            The classes overlap on purpose, as real covers do: a model can learn \
            the difference, but not perfectly. The same --seed gives the same \
            files byte for byte, given the same fonts (fonts-dejavu-core, \
            fonts-urw-base35, fonts-noto-cjk).

            Examples:
              coverlens synth --out Examples --count 60 --candidates 8 --seed 7
              coverlens synth --out /tmp/big --count 500 --seed 1 --replace

            \(ExitStatus.help)
            """)

    @Option(help: ArgumentHelp("Folder to write the covers into (created if missing).", valueName: "dir"))
    var out: String

    @Option(help: "Covers per class (popular and other each get this many).")
    var count: Int = 60

    @Option(help: "Seed of the whole set: the same seed regenerates the same files.")
    var seed: UInt64 = 1

    @Option(help: "Candidate covers to score (both classes, every style; some with Korean names).")
    var candidates: Int = 8

    @Flag(help: "Delete the popular/, other/ and candidates/ folders under --out first if they hold files.")
    var replace = false

    func run() throws {
        let set = try SynthSet(count: count, candidates: candidates, seed: seed)
        let folder = URL(fileURLWithPath: out)
        let generator = try CoverGenerator()
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

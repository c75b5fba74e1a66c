import ArgumentParser
import Imaging
import Runs

/// `coverlens inspect FILE…`: decodes each file the way training and scoring will, and says what
/// it is or why it cannot be used. A bad file is reported and the run goes on.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what each image file is and whether CoverLens can decode it.",
        discussion: """
            Each file is decoded exactly as training and scoring will decode it, and one line is \
            printed per file, then a count when there are several (output for two test files):

              jpeg-orientation-6.jpg: ok  jpeg baseline, ycbcr 8-bit, 12×16, orientation 6 (rotate 90° clockwise) → upright 16×12
              broken-truncated.jpg: the file ends before the image does (truncated download or copy?); fetch it again
              2 files: 1 ok, 1 failed

            The line gives the format (found from the file's bytes, not its name) and its variant, \
            the stored colour model (rgb, ycbcr, grey, grey+alpha, palette, palette+alpha, rgba, \
            cmyk, ycck) and bits per sample, the stored size, and the EXIF orientation (1 = upright; \
            2–8 are turned upright, and the upright size is shown). Transparency is composited over \
            white; an animated WebP, a multi-page TIFF or PDF contributes its first frame or page. \
            An embedded colour profile is named with its colour space, and says whether the pixels \
            were converted to sRGB with it; a CMYK file without one is said to have none. For a PDF, \
            the page size and its boxes follow (the page is cut to its TrimBox). Decoder warnings \
            follow on indented lines.

            Only files are inspected: a folder named on the command line is reported as an error (use a shell \
            glob such as covers/*). Everything is printed on standard output; --quiet prints only the files \
            that failed. --json prints one JSON document instead: per file its name, "ok", and the summary, \
            details and warnings, or the error (for scripts that sort bad files out).

            Examples:
              coverlens inspect Examples/popular/cover-001.jpg \\
                  Examples/popular/cover-002.jpg
              coverlens inspect downloads/*
              coverlens inspect downloads/* --json

            Exit status: 0 when every file decoded, 3 when at least one did not, 64 for bad options.
            """)

    @Argument(help: ArgumentHelp("Image files (\(ImageFormat.acceptedList)).", valueName: "file"))
    var files: [String]

    @Option(help: ArgumentHelp(
        "Refuse images whose header declares more than this many megapixels (protects memory).",
        valueName: "megapixels"))
    var maxMegapixels: Double = DecodeLimits.default.maxMegapixels

    @Option(help: ArgumentHelp(
        "Convert colours to sRGB with the file's colour profile (on), or give PIL's pixels (off).",
        valueName: "on|off"))
    var colourManagement: OnOffSetting = .on

    @OptionGroup var outputOptions: OutputOptions

    @Flag(name: .long, help: "Decode JPEGs cut inside their image data, with the missing part grey.")
    var allowTruncated = false

    func validate() throws {
        guard maxMegapixels.isFinite, maxMegapixels > 0 else {
            throw ValidationError("--max-megapixels must be a positive number, got \(maxMegapixels)")
        }
    }

    func run() throws {
        let limits = DecodeLimits(maxMegapixels: maxMegapixels, colourManagement: colourManagement == .on,
                                  allowsTruncated: allowTruncated)
        var failed = 0
        var entries: [[String: Any]] = []
        for file in files {
            do throws(DecodeError) {
                let decoded = try ImageDecoder.decode(path: file, limits: limits)
                entries.append(["file": file, "ok": true, "summary": decoded.summary, "details": decoded.pageDetails,
                                "warnings": decoded.info.warnings])
                guard !outputOptions.json && !outputOptions.quiet else { continue }
                print("\(file): ok  \(decoded.summary)")
                for line in decoded.pageDetails { print("  \(line)") }
                for warning in decoded.info.warnings { print("  warning: \(warning)") }
            } catch {
                failed += 1
                entries.append(["file": file, "ok": false, "error": error.description])
                if !outputOptions.json { print(error.description) }
            }
        }
        if outputOptions.json {
            var document = RunDocument(command: "inspect", fields: ["files": entries, "ok": files.count - failed, "failed": failed])
            document.status = failed > 0 ? ExitStatus.skippedFiles : 0
            print(document.text)
        } else if files.count > 1 && !outputOptions.quiet {
            print("\(files.count) files: \(files.count - failed) ok, \(failed) failed")
        }
        if failed > 0 { throw ExitCode(ExitStatus.skippedFiles) }
    }
}

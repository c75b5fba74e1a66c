import CFuzzDriver
import Foundation
import Imaging

/// One libFuzzer input: any bytes must decode or fail with a `DecodeError`; a decoded image must be
/// consistent. A 2-megapixel limit keeps each run fast (a mutated header easily declares 100 MP);
/// the limit check itself runs before any pixel memory is allocated, so it is covered either way.
/// ImagingTests' FuzzRegressionTests replays every kept crash input through the same call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImageDecoder(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    // PDFs go to Poppler's tools in a child process with a time limit: not in-process code, and a
    // process per input would slow the fuzzer a hundredfold.
    if bytes.starts(with: Array("%PDF".utf8)) { return 0 }
    do throws(DecodeError) {
        let decoded = try ImageDecoder.decode(bytes: bytes, name: "fuzz", limits: DecodeLimits(maxMegapixels: 2))
        if decoded.image.pixels.count != decoded.width * decoded.height * 3 { fatalError("pixel count disagrees with the size") }
    } catch {
        if !error.description.hasPrefix("fuzz: ") { fatalError("error does not name the file: \(error)") }
    }
    return 0
}

// SwiftPM makes this file's top-level code the program's `main`: hand control to libFuzzer.
var argumentCount = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argumentCount, &argumentValues) { fuzzImageDecoder($0, $1) })

import CFuzzDriver
import Foundation
import Imaging

/// One libFuzzer input: what Poppler's tools printed for a PDF, as CoverLens reads it in process.
/// The bytes up to the first NUL are `pdfinfo -box`'s text (a hostile PDF decides the boxes and
/// numbers in it), the rest is the PPM `pdftoppm` wrote. Together they must give a consistent
/// image or a `DecodeError` naming the file, never a trap. The tools themselves run as child
/// processes and are not fuzzed here. The output is 64 pixels along its long side instead of
/// 1,024 (the same code, 250 times fewer pixels per input).
/// ImagingTests' PDFFuzzRegressionTests replays every kept crash input through the same call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPDFOutput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    let split = bytes.firstIndex(of: 0) ?? bytes.count
    let pdfinfo = String(decoding: bytes[..<split], as: UTF8.self)
    let ppm = split < bytes.count ? Array(bytes[(split + 1)...]) : []
    do throws(DecodeError) {
        let decoded = try ImageDecoder.decodePDF(pdfinfo: pdfinfo, pdftoppm: ppm, name: "fuzz", limits: DecodeLimits(maxMegapixels: 2),
                                                 longSide: 64)
        if decoded.image.pixels.count != decoded.width * decoded.height * 3 { fatalError("pixel count disagrees with the size") }
        if max(decoded.width, decoded.height) != 64 { fatalError("long side \(max(decoded.width, decoded.height)), asked 64") }
    } catch {
        if !error.description.hasPrefix("fuzz: ") { fatalError("error does not name the file: \(error)") }
    }
    return 0
}

// SwiftPM makes this file's top-level code the program's `main`: hand control to libFuzzer.
var argumentCount = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argumentCount, &argumentValues) { fuzzPDFOutput($0, $1) })

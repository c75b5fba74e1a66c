extension ImageDecoder {
    /// Decodes a PDF from what its Poppler tools printed, given in advance instead of run:
    /// `pdfinfo -box`'s text and the PPM `pdftoppm` wrote. This is the in-process half of a PDF
    /// decode (`PDFDecoder.rasterise`, then colour management and ``ImageInfo`` as for any file),
    /// for the fuzz target Fuzz/Sources/FuzzPDFOutput and the replay of what it found.
    /// `longSide` is the output's long side (a real decode makes 1,024 pixels).
    public static func decodePDF(pdfinfo: String, pdftoppm: [UInt8], name: String, limits: DecodeLimits = .default,
                                 longSide: Double = 1024) throws(DecodeError) -> DecodedImage {
        let decoded = try PDFDecoder.rasterise(pdfinfo: pdfinfo, endMarker: true, path: name, limits: limits,
                                               longSide: longSide) { _ in pdftoppm }
        return finish(decoded, format: .pdf, limits: limits)
    }
}

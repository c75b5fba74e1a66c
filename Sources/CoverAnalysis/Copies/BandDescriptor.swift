import Imaging

/// The copy detector's descriptor of a cover: its luminance at 24 × 36, in nine horizontal bands,
/// each band mean-centred and of unit length; seen five ways (`View`).
///
/// Why pixels and not the network: generated covers of one style share layout and colours and differ
/// mostly in the title, which the last feature maps of an ImageNet network barely see, so a JPEG
/// re-save of one cover was often closer to a different cover of its style than to its original
/// (README, "Near-duplicates"). A coarse luminance image keeps the title's shape; 24 × 36 is coarse
/// enough that JPEG, blur and a slight misalignment hardly move it. Luminance ignores saturation and
/// greyscale edits; centring and normalising each band separately ignores brightness and contrast
/// changes, and a band wiped out by a painted-over title or a glare is left out (the similarity
/// drops the two worst bands, `BandSearch`).
///
/// The views are computed once per cover, from the decode the run already makes:
/// - `whole`, `crop95`, `crop90`: the cover, and its central 95 % and 90 % (a cropped copy of a
///   popular cover matches that cover's crop view);
/// - `rectified`: the cover found in a photo and warped straight (`CoverRectifier`), its bands also
///   levelled (each band's left-to-right slope removed: light falling off across the photo); all
///   zeros when the image is not a photo of a cover on a plainer background;
/// - `levelled`: the whole cover levelled the same way, what a photo's `rectified` view is matched
///   against. Only photos are levelled: a band's slope is also part of its design (a block on one
///   side of a band is half a slope), and levelling every view made distinct covers of one crowded
///   style closer to each other than an edited copy was to its original (`CopyDetectorTests`).
/// A mirrored copy is matched by mirroring the query's views (`mirrored`), which needs no pixels.
///
/// After the five views come their bands' contrasts (`contrast(of:)`: each band's RMS deviation from
/// its mean, in grey levels, before it was scaled to unit length): how much a band shows decides
/// whether it may be left out of a similarity (`BandSearch.mayLeaveOut`).
public enum BandDescriptor {
    public enum View: Int, CaseIterable, Sendable { case whole, crop95, crop90, rectified, levelled }

    public static let gridWidth = 24, gridHeight = 36, bands = 9
    /// Values per band: 4 rows of 24.
    public static let bandLength = gridWidth * gridHeight / bands
    /// Values per view and in a whole descriptor (the views, then each view's band contrasts).
    public static let viewLength = gridWidth * gridHeight
    public static let length = (viewLength + bands) * View.allCases.count
    /// Where the band contrasts start.
    static let contrastOffset = viewLength * View.allCases.count
    /// Names the recipe in the embedding store: change it whenever the descriptor's values change.
    public static let version = "copy-bands-v4"

    /// All views of `image`, concatenated in `View` order: `length` values.
    public static func describe(_ image: RGBImage) -> [Float] {
        let (w, h) = (Double(image.width), Double(image.height))
        var out: [Float] = [], contrasts: [Float] = []
        out.reserveCapacity(length)
        func append(_ view: (bands: [Float], contrasts: [Float])) { out += view.bands; contrasts += view.contrasts }
        var whole: [Float] = []
        for fraction in [1.0, 0.95, 0.9] {
            let (dx, dy) = (w * (1 - fraction) / 2, h * (1 - fraction) / 2)
            let grid = CoverRectifier.luminance(of: image, x0: dx, y0: dy, x1: w - dx, y1: h - dy, width: gridWidth, height: gridHeight)
            if fraction == 1 { whole = grid }
            append(normalisedBands(grid))
        }
        if let corners = CoverRectifier.corners(in: image) {
            append(normalisedBands(CoverRectifier.luminance(of: image, corners: corners, width: gridWidth, height: gridHeight), levelled: true))
        } else {
            append(([Float](repeating: 0, count: viewLength), [Float](repeating: 0, count: bands)))
        }
        append(normalisedBands(whole, levelled: true))
        return out + contrasts
    }

    /// The band contrasts of one view of a descriptor: `bands` values, RMS grey levels.
    static func contrast(of view: View, in descriptor: ArraySlice<Float>) -> ArraySlice<Float> {
        let start = descriptor.startIndex + contrastOffset + view.rawValue * bands
        return descriptor[start..<start + bands]
    }

    /// Below this RMS deviation from its mean (grey levels) a band counts as flat.
    static let flatDeviation: Float = 1.5

    /// A `gridWidth × gridHeight` luminance grid with each band mean-centred, `levelled` (its
    /// left-to-right slope removed) when asked, and scaled to unit length; and each band's contrast
    /// (RMS deviation, grey levels) before the scaling. The slope is light
    /// falling off across a photo (on the edited-copy benchmark's generated photos of seed 202, with
    /// the corners fitted to the sides, levelling the photo's view and the view it is matched with
    /// raised the original's rank-1 share from 0.845 to 0.970 and the share flagged from 29.5 % to 71.5 %). A flat band (a plain background)
    /// becomes the constant unit vector instead: it is orthogonal to every centred band, so two flat
    /// bands agree (cosine 1) and a flat band disagrees with a patterned one (cosine 0), where JPEG
    /// noise scaled up would match at random.
    static func normalisedBands(_ grid: [Float], levelled: Bool = false) -> (bands: [Float], contrasts: [Float]) {
        precondition(grid.count == viewLength)
        var out = grid, contrasts = [Float](repeating: 0, count: bands)
        let flat = 1 / Float(bandLength).squareRoot()
        // Each cell's column, centred: the slope's regressor (orthogonal to the mean on a full band).
        let column = (0..<bandLength).map { Float($0 % gridWidth) - Float(gridWidth - 1) / 2 }
        let columnSquares = column.reduce(0) { $0 + $1 * $1 }
        for b in 0..<bands {
            let range = b * bandLength..<(b + 1) * bandLength
            let mean = out[range].reduce(0, +) / Float(bandLength)
            var slope: Float = 0
            for (i, x) in zip(range, column) { out[i] -= mean; slope += out[i] * x }
            slope = levelled ? slope / columnSquares : 0
            var norm: Float = 0
            for (i, x) in zip(range, column) { out[i] -= slope * x }
            for i in range { norm += out[i] * out[i] }
            contrasts[b] = (norm / Float(bandLength)).squareRoot()
            if norm < flatDeviation * flatDeviation * Float(bandLength) {
                for i in range { out[i] = flat }
            } else {
                let scale = 1 / norm.squareRoot()
                for i in range { out[i] *= scale }
            }
        }
        return (out, contrasts)
    }

    /// One view left–right swapped (each band's rows reversed): the view of the mirrored cover.
    static func mirrored(_ view: ArraySlice<Float>) -> [Float] {
        precondition(view.count == viewLength)
        let start = view.startIndex
        var out = [Float](repeating: 0, count: viewLength)
        for row in 0..<gridHeight {
            for x in 0..<gridWidth { out[row * gridWidth + x] = view[start + row * gridWidth + gridWidth - 1 - x] }
        }
        return out
    }
}

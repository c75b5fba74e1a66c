/// The output tiling both Winograd plans work on: one tile of `outputTile × outputTile` outputs
/// (2 for F(2×2, 3×3), 4 for F(4×4, 3×3)) per `tilesHigh × tilesWide` position of one image,
/// the last row and column of tiles overhanging an output whose size the tile does not divide.
struct WinogradTileGrid {
    let g: ConvolutionGeometry
    let inChannels: Int, outChannels: Int
    let outHeight: Int, outWidth: Int
    let tilesHigh: Int, tilesWide: Int

    init(_ g: ConvolutionGeometry, inChannels: Int, outChannels: Int, outputTile: Int) {
        self.g = g
        self.inChannels = inChannels
        self.outChannels = outChannels
        outHeight = g.outputHeight
        outWidth = g.outputWidth
        tilesHigh = (outHeight + outputTile - 1) / outputTile
        tilesWide = (outWidth + outputTile - 1) / outputTile
    }
}

// Option tables of RESHAPE, RESIZE_BILINEAR and the reductions (MEAN, SUM, REDUCE_MAX, ...).
// Field ids and defaults follow TFLite's `schema.fbs`.

/// `ReshapeOptions`: options of `RESHAPE`.
public struct ReshapeOptions: Sendable, Equatable {
    /// `new_shape`, or `nil` when absent (then the shape comes from the second input or the output).
    public var newShape: [Int32]?

    /// Creates options.
    public init(newShape: [Int32]? = nil) {
        self.newShape = newShape
    }

    /// Decodes the table; an absent table gives the defaults.
    init(table: FlatBufferTable?, decoder: inout ModelDecoder) throws(ModelError) {
        self.init()
        guard let table else { return }
        newShape = try decoder.int32s(table, 0, "new_shape")
    }
}

/// `ResizeBilinearOptions`: options of `RESIZE_BILINEAR`.
///
/// The deprecated fields `new_height` / `new_width` (ids 0 and 1) are not read: the size is an input.
public struct ResizeBilinearOptions: Sendable, Equatable {
    /// `align_corners`.
    public var alignCorners: Bool
    /// `half_pixel_centers`.
    public var halfPixelCenters: Bool

    /// Creates options; defaults are the schema's.
    public init(alignCorners: Bool = false, halfPixelCenters: Bool = false) {
        self.alignCorners = alignCorners
        self.halfPixelCenters = halfPixelCenters
    }

    /// Decodes the table; an absent table gives the defaults.
    init(table: FlatBufferTable?) throws(ModelError) {
        self.init()
        guard let table else { return }
        alignCorners = try table.bool(2, "align_corners")
        halfPixelCenters = try table.bool(3, "half_pixel_centers")
    }
}

/// `ReducerOptions`: options of `MEAN`, `SUM`, `REDUCE_PROD`, `REDUCE_MAX`, `REDUCE_MIN`, `REDUCE_ANY`, `REDUCE_ALL`.
public struct ReducerOptions: Sendable, Equatable {
    /// `keep_dims`: keep reduced axes as size 1.
    public var keepDims: Bool

    /// Creates options; the default is the schema's.
    public init(keepDims: Bool = false) {
        self.keepDims = keepDims
    }

    /// Decodes the table; an absent table gives the defaults.
    init(table: FlatBufferTable?) throws(ModelError) {
        self.init()
        guard let table else { return }
        keepDims = try table.bool(0, "keep_dims")
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves an immutable file with a strong ETag, `If-None-Match` (304) and single byte ranges (206/416).
enum BlobResponse {
    /// A parsed `Range: bytes=…` header with one range.
    enum ByteRange: Equatable {
        /// `first-last` (inclusive) or `first-` (`last == nil`).
        case from(Int64, through: Int64?)
        /// `-count`: the last `count` bytes.
        case suffix(Int64)

        /// Parses a header; `nil` for syntax this server ignores (multiple ranges, other units).
        init?(header: String) {
            guard header.hasPrefix("bytes="), !header.contains(",") else { return nil }
            let spec = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
            guard let dash = spec.firstIndex(of: "-") else { return nil }
            let first = spec[..<dash]
            let last = spec[spec.index(after: dash)...]
            if first.isEmpty {
                guard let count = Int64(last), count >= 0 else { return nil }
                self = .suffix(count)
            } else {
                guard let start = Int64(first), start >= 0 else { return nil }
                if last.isEmpty {
                    self = .from(start, through: nil)
                } else {
                    guard let end = Int64(last), end >= start else { return nil }
                    self = .from(start, through: end)
                }
            }
        }

        /// The inclusive byte bounds within a file of `size` bytes, or `nil` if unsatisfiable.
        func bounds(size: Int64) -> ClosedRange<Int64>? {
            switch self {
            case .from(let start, let end):
                guard start < size else { return nil }
                return start...min(end ?? (size - 1), size - 1)
            case .suffix(let count):
                guard count > 0, size > 0 else { return nil }
                return max(0, size - count)...(size - 1)
            }
        }
    }

    /// The response for `request` on the file at `url`.
    ///
    /// - Throws: ``APIError`` 416 for an unsatisfiable range; a file-system error if the blob is missing.
    static func make(for request: Request, url: URL, size: Int64, etag: String) throws -> Response {
        var headers: HTTPFields = [
            .eTag: etag, .acceptRanges: "bytes", .cacheControl: "private, max-age=31536000, immutable",
        ]
        if let match = request.headers[.ifNoneMatch], FleetServer.etagMatches(match, etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = "application/octet-stream"
        var bounds: ClosedRange<Int64> = 0...(size - 1)
        var status = HTTPResponse.Status.ok
        if let header = request.headers[.range], let range = ByteRange(header: header) {
            // If-Range with a different validator means "send it all".
            if request.headers[.ifRange].map({ $0 == etag }) ?? true {
                guard let satisfiable = range.bounds(size: size) else {
                    throw APIError(
                        .rangeNotSatisfiable, .rangeNotSatisfiable, "range outside 0…\(size - 1)",
                        headers: [.contentRange: "bytes */\(size)"])
                }
                bounds = satisfiable
                status = .partialContent
                headers[.contentRange] = "bytes \(satisfiable.lowerBound)-\(satisfiable.upperBound)/\(size)"
            }
        }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(bounds.lowerBound))
        let data = size == 0 ? Data() : try handle.read(upToCount: Int(bounds.count)) ?? Data()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

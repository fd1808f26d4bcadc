#include <srs_kernel_mp4_reader.hpp>

#include <algorithm>
#include <cstring>

namespace {

// A sample table larger than this is not a file FFmpeg made for a test or a stream (it is
// 4 days of 48 kHz AAC frames); the bound keeps a forged count from allocating gigabytes.
const uint32_t kMaxSamplesPerTrack = 16 * 1024 * 1024;

constexpr uint32_t box(const char (&s)[5]) {
    return ((uint32_t)(uint8_t)s[0] << 24) | ((uint32_t)(uint8_t)s[1] << 16) | ((uint32_t)(uint8_t)s[2] << 8) |
           (uint8_t)s[3];
}

std::string box2str(uint32_t t) {
    std::string s;
    for (int i = 3; i >= 0; i--) {
        char c = (char)((t >> (i * 8)) & 0xff);
        s += (c >= 0x20 && c < 0x7f) ? c : '?';
    }
    return s;
}

// A bounds-checked big-endian reader over a box body. Reads past the end fail the reader and
// return 0; the caller checks ok() once after a group of reads.
class Reader {
public:
    Reader(const uint8_t* p, size_t n) : p_(p), n_(n) {}
    bool ok() const { return ok_; }
    size_t left() const { return n_ - pos_; }
    size_t pos() const { return pos_; }
    const uint8_t* here() const { return p_ + pos_; }
    bool require(size_t n) {
        if (!ok_ || n > left()) {
            ok_ = false;
        }
        return ok_;
    }
    void skip(size_t n) {
        if (require(n)) {
            pos_ += n;
        }
    }
    uint64_t read(int bytes) {
        if (!require((size_t)bytes)) {
            return 0;
        }
        uint64_t v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | p_[pos_++];
        }
        return v;
    }
    uint8_t u8() { return (uint8_t)read(1); }
    uint16_t u16() { return (uint16_t)read(2); }
    uint32_t u32() { return (uint32_t)read(4); }
    uint64_t u64() { return read(8); }

private:
    const uint8_t* p_;
    size_t n_;
    size_t pos_ = 0;
    bool ok_ = true;
};

struct Box {
    uint32_t type = 0;
    const uint8_t* body = nullptr;
    size_t size = 0;
    Reader reader() const { return Reader(body, size); }
};

// Splits a box body (or the file) into its child boxes.
srs_error_t children(const uint8_t* p, size_t n, std::vector<Box>* out) {
    out->clear();
    size_t pos = 0;
    while (pos < n) {
        if (n - pos < 8) {
            return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "%d bytes left at %zu, less than a box header", (int)(n - pos),
                                 pos);
        }
        Reader r(p + pos, n - pos);
        uint64_t size = r.u32();
        Box b;
        b.type = r.u32();
        size_t header = 8;
        if (size == 1) {
            size = r.u64();
            header = 16;
            if (!r.ok()) {
                return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "box %s largesize truncated", box2str(b.type).c_str());
            }
        } else if (size == 0) {
            // The last box, to the end of its parent (14496-12 4.2).
            size = n - pos;
        }
        if (size < header || size > n - pos) {
            return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "box %s size %llu at %zu does not fit in %zu bytes",
                                 box2str(b.type).c_str(), (unsigned long long)size, pos, n - pos);
        }
        b.body = p + pos + header;
        b.size = (size_t)size - header;
        out->push_back(b);
        pos += (size_t)size;
    }
    return srs_success;
}

const Box* find(const std::vector<Box>& boxes, uint32_t type) {
    for (const Box& b : boxes) {
        if (b.type == type) {
            return &b;
        }
    }
    return nullptr;
}

srs_error_t require_child(const std::vector<Box>& boxes, uint32_t type, const char* parent, const Box** out) {
    *out = find(boxes, type);
    if (!*out) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "%s has no %s", parent, box2str(type).c_str());
    }
    return srs_success;
}

// The descriptor of an esds: tag, then a size of 1 to 4 bytes of 7 bits (14496-1 8.3.3).
bool read_descriptor(Reader* r, uint8_t* tag, uint32_t* len) {
    *tag = r->u8();
    *len = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t b = r->u8();
        *len = (*len << 7) | (b & 0x7f);
        if (!(b & 0x80)) {
            break;
        }
    }
    return r->ok() && *len <= r->left();
}

// The AudioSpecificConfig of an esds (14496-14 3.1.2, 14496-1 7.2.6.5 and 7.2.6.6).
srs_error_t parse_esds(const Box& b, std::string* asc) {
    Reader r = b.reader();
    r.skip(4);
    uint8_t tag = 0;
    uint32_t len = 0;
    if (!read_descriptor(&r, &tag, &len) || tag != 3) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "esds: no ES_Descriptor");
    }
    r.skip(2);
    uint8_t flags = r.u8();
    if (flags & 0x80) {
        r.skip(2);
    }
    if (flags & 0x40) {
        r.skip(r.u8());
    }
    if (flags & 0x20) {
        r.skip(2);
    }
    if (!read_descriptor(&r, &tag, &len) || tag != 4 || len < 13) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "esds: no DecoderConfigDescriptor");
    }
    r.skip(13);
    if (!read_descriptor(&r, &tag, &len) || tag != 5 || len == 0) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "esds: no DecoderSpecificInfo");
    }
    asc->assign((const char*)r.here(), len);
    return srs_success;
}

// The first sample entry of an stsd: the codec, its configuration box and the picture or sound.
srs_error_t parse_stsd(const Box& stsd, SrsMp4ReaderTrack* t) {
    srs_error_t err = srs_success;
    Reader r = stsd.reader();
    r.skip(4);
    uint32_t count = r.u32();
    if (!r.ok() || count == 0) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "stsd: no sample entry");
    }
    std::vector<Box> entries;
    if ((err = children(r.here(), r.left(), &entries)) != srs_success) {
        return srs_error_wrap(err, "stsd");
    }
    if (entries.empty()) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "stsd: no sample entry");
    }
    const Box& e = entries[0];
    t->entry = e.type;
    Reader er = e.reader();
    // SampleEntry: 6 reserved bytes and the data_reference_index.
    er.skip(8);
    if (t->video) {
        // VisualSampleEntry (14496-12 12.1.3): pre_defined and reserved, then width and height,
        // then resolutions, frame_count, compressorname, depth and pre_defined.
        er.skip(16);
        t->width = er.u16();
        t->height = er.u16();
        er.skip(50);
    } else {
        // AudioSampleEntry (12.2.3); QuickTime versions 1 and 2 append 16 or 36 bytes.
        uint16_t version = er.u16();
        er.skip(6);
        t->channels = er.u16();
        er.skip(6);
        t->sample_rate = (int)(er.u32() >> 16);
        if (version == 1) {
            er.skip(16);
        } else if (version == 2) {
            er.skip(36);
        }
    }
    if (!er.ok()) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "sample entry %s truncated", box2str(e.type).c_str());
    }
    std::vector<Box> boxes;
    if ((err = children(er.here(), er.left(), &boxes)) != srs_success) {
        return srs_error_wrap(err, "sample entry %s", box2str(e.type).c_str());
    }

    uint32_t config_box = 0;
    switch (e.type) {
        case box("avc1"):
        case box("avc3"):
            t->codec = SrsMp4Codec::AVC;
            config_box = box("avcC");
            break;
        case box("hvc1"):
        case box("hev1"):
            t->codec = SrsMp4Codec::HEVC;
            config_box = box("hvcC");
            break;
        case box("av01"):
            t->codec = SrsMp4Codec::AV1;
            config_box = box("av1C");
            break;
        case box("vp09"):
            t->codec = SrsMp4Codec::VP9;
            config_box = box("vpcC");
            break;
        case box("mp4a"):
            t->codec = SrsMp4Codec::AAC;
            config_box = box("esds");
            break;
        case box("Opus"):
            t->codec = SrsMp4Codec::Opus;
            config_box = box("dOps");
            break;
        default:
            // Another codec: the caller leaves the track out.
            return err;
    }
    const Box* cfg = nullptr;
    if ((err = require_child(boxes, config_box, box2str(e.type).c_str(), &cfg)) != srs_success) {
        return err;
    }
    if (t->codec == SrsMp4Codec::AAC) {
        return parse_esds(*cfg, &t->config);
    }
    if (cfg->size == 0) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "%s is empty", box2str(config_box).c_str());
    }
    t->config.assign((const char*)cfg->body, cfg->size);
    return err;
}

// The raw sample tables of one track.
struct Tables {
    std::vector<uint32_t> sizes;
    std::vector<int64_t> dts;
    std::vector<int32_t> cts;
    std::vector<bool> sync;
    std::vector<uint64_t> offsets;
};

srs_error_t parse_tables(const std::vector<Box>& stbl, size_t file_size, Tables* tb) {
    srs_error_t err = srs_success;
    const Box* b = nullptr;

    // stsz: the count of samples and their sizes (14496-12 8.7.3).
    if ((err = require_child(stbl, box("stsz"), "stbl", &b)) != srs_success) {
        return err;
    }
    Reader r = b->reader();
    r.skip(4);
    uint32_t constant = r.u32();
    uint32_t n = r.u32();
    if (!r.ok() || n > kMaxSamplesPerTrack || (constant == 0 && (uint64_t)n * 4 > r.left()) ||
        (uint64_t)constant * n > file_size) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "stsz: %u samples of size %u in %zu bytes", n, constant, b->size);
    }
    tb->sizes.resize(n);
    for (uint32_t i = 0; i < n; i++) {
        tb->sizes[i] = constant ? constant : r.u32();
    }

    // stts: decoding time deltas, run-length coded (8.6.1.2).
    if ((err = require_child(stbl, box("stts"), "stbl", &b)) != srs_success) {
        return err;
    }
    r = b->reader();
    r.skip(4);
    uint32_t entries = r.u32();
    tb->dts.resize(n);
    uint32_t filled = 0;
    int64_t t = 0;
    for (uint32_t i = 0; i < entries && filled < n && r.ok(); i++) {
        uint32_t count = r.u32();
        uint32_t delta = r.u32();
        for (uint32_t k = 0; k < count && filled < n; k++) {
            tb->dts[filled++] = t;
            t += delta;
        }
    }
    if (!r.ok() || filled < n) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "stts: times for %u of %u samples", filled, n);
    }

    // ctts: composition offsets; version 1 signed, version 0 unsigned but FFmpeg writes negative
    // values in it too, so both are read as signed (8.6.1.3).
    tb->cts.assign(n, 0);
    if ((b = find(stbl, box("ctts"))) != nullptr) {
        r = b->reader();
        r.skip(4);
        entries = r.u32();
        filled = 0;
        for (uint32_t i = 0; i < entries && filled < n && r.ok(); i++) {
            uint32_t count = r.u32();
            int32_t offset = (int32_t)r.u32();
            for (uint32_t k = 0; k < count && filled < n; k++) {
                tb->cts[filled++] = offset;
            }
        }
        if (!r.ok() || filled < n) {
            return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "ctts: offsets for %u of %u samples", filled, n);
        }
    }

    // stss: the sync samples, 1-based; without it every sample is one (8.6.2).
    if ((b = find(stbl, box("stss"))) != nullptr) {
        tb->sync.assign(n, false);
        r = b->reader();
        r.skip(4);
        entries = r.u32();
        for (uint32_t i = 0; i < entries && r.ok(); i++) {
            uint32_t k = r.u32();
            if (r.ok() && k >= 1 && k <= n) {
                tb->sync[k - 1] = true;
            }
        }
        if (!r.ok()) {
            return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "stss: %u entries in %zu bytes", entries, b->size);
        }
    } else {
        tb->sync.assign(n, true);
    }

    // stco or co64: chunk offsets (8.7.5).
    std::vector<uint64_t> chunks;
    bool co64 = false;
    if ((b = find(stbl, box("stco"))) == nullptr) {
        co64 = true;
        if ((err = require_child(stbl, box("co64"), "stbl", &b)) != srs_success) {
            return err;
        }
    }
    r = b->reader();
    r.skip(4);
    entries = r.u32();
    if (!r.ok() || (uint64_t)entries * (co64 ? 8 : 4) > r.left()) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "%s: %u chunks in %zu bytes", co64 ? "co64" : "stco", entries,
                             b->size);
    }
    chunks.resize(entries);
    for (uint32_t i = 0; i < entries; i++) {
        chunks[i] = co64 ? r.u64() : r.u32();
    }

    // stsc: samples per chunk, in runs of chunks (8.7.4); the samples of a chunk follow each other.
    if ((err = require_child(stbl, box("stsc"), "stbl", &b)) != srs_success) {
        return err;
    }
    r = b->reader();
    r.skip(4);
    entries = r.u32();
    if (!r.ok() || (uint64_t)entries * 12 > r.left()) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "stsc: %u entries in %zu bytes", entries, b->size);
    }
    std::vector<uint32_t> first(entries), per(entries);
    for (uint32_t i = 0; i < entries; i++) {
        first[i] = r.u32();
        per[i] = r.u32();
        r.skip(4);
        if (first[i] == 0 || (i > 0 && first[i] <= first[i - 1])) {
            return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "stsc: entry %u first chunk %u out of order", i, first[i]);
        }
    }
    tb->offsets.resize(n);
    filled = 0;
    uint32_t e = 0;
    for (uint32_t c = 0; c < chunks.size() && filled < n; c++) {
        while (e + 1 < entries && c + 1 >= first[e + 1]) {
            e++;
        }
        if (entries == 0 || c + 1 < first[0]) {
            return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "stsc does not cover chunk %u", c + 1);
        }
        uint64_t off = chunks[c];
        for (uint32_t k = 0; k < per[e] && filled < n; k++) {
            uint32_t size = tb->sizes[filled];
            if (off > file_size || size > file_size - off) {
                return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "sample %u (%u bytes at %llu) past the end of %zu bytes",
                                     filled + 1, size, (unsigned long long)off, file_size);
            }
            tb->offsets[filled++] = off;
            off += size;
        }
    }
    if (filled < n) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "chunks hold %u of %u samples", filled, n);
    }
    return err;
}

// The track's start on the movie timeline from its edit list (8.6.6): an initial empty edit
// delays it, the first edit's media_time skips its first part.
int64_t parse_elst(const Box* edts, uint32_t movie_timescale, uint32_t timescale) {
    if (!edts || movie_timescale == 0) {
        return 0;
    }
    std::vector<Box> boxes;
    srs_error_t err = children(edts->body, edts->size, &boxes);
    if (err != srs_success) {
        // A broken edit list only loses the sync fix-up; the samples are still good.
        srs_error_reset(err);
        return 0;
    }
    const Box* elst = find(boxes, box("elst"));
    if (!elst) {
        return 0;
    }
    Reader r = elst->reader();
    uint8_t version = r.u8();
    r.skip(3);
    uint32_t entries = r.u32();
    int64_t shift = 0;
    for (uint32_t i = 0; i < entries && r.ok(); i++) {
        uint64_t duration = version == 1 ? r.u64() : r.u32();
        int64_t media_time = version == 1 ? (int64_t)r.u64() : (int64_t)(int32_t)r.u32();
        r.skip(4);
        if (!r.ok()) {
            return 0;
        }
        if (media_time == -1) {
            shift += (int64_t)((__int128)duration * timescale / movie_timescale);
            continue;
        }
        return shift - media_time;
    }
    return shift;
}

int64_t to_ms(int64_t v, uint32_t timescale) {
    __int128 x = (__int128)v * 1000;
    __int128 half = timescale / 2;
    return (int64_t)(x >= 0 ? (x + half) / timescale : -((-x + half) / timescale));
}

srs_error_t parse_trak(const Box& trak, uint32_t movie_timescale, size_t file_size, SrsMp4ReaderTrack* t, Tables* tb) {
    srs_error_t err = srs_success;
    std::vector<Box> boxes, mdia, minf, stbl;
    if ((err = children(trak.body, trak.size, &boxes)) != srs_success) {
        return srs_error_wrap(err, "trak");
    }
    const Box* b = nullptr;
    if ((err = require_child(boxes, box("tkhd"), "trak", &b)) != srs_success) {
        return err;
    }
    Reader r = b->reader();
    uint8_t version = r.u8();
    r.skip(version == 1 ? 3 + 16 : 3 + 8);
    t->id = r.u32();
    if (!r.ok()) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "tkhd truncated");
    }
    const Box* edts = find(boxes, box("edts"));

    if ((err = require_child(boxes, box("mdia"), "trak", &b)) != srs_success) {
        return err;
    }
    if ((err = children(b->body, b->size, &mdia)) != srs_success) {
        return srs_error_wrap(err, "mdia");
    }
    if ((err = require_child(mdia, box("hdlr"), "mdia", &b)) != srs_success) {
        return err;
    }
    r = b->reader();
    r.skip(8);
    uint32_t handler = r.u32();
    if (!r.ok()) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "hdlr truncated");
    }
    if (handler != box("vide") && handler != box("soun")) {
        return err;
    }
    t->video = handler == box("vide");
    if ((err = require_child(mdia, box("mdhd"), "mdia", &b)) != srs_success) {
        return err;
    }
    r = b->reader();
    version = r.u8();
    r.skip(version == 1 ? 3 + 16 : 3 + 8);
    t->timescale = r.u32();
    if (!r.ok() || t->timescale == 0) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "mdhd: timescale %u", t->timescale);
    }
    t->shift = parse_elst(edts, movie_timescale, t->timescale);

    if ((err = require_child(mdia, box("minf"), "mdia", &b)) != srs_success) {
        return err;
    }
    if ((err = children(b->body, b->size, &minf)) != srs_success) {
        return srs_error_wrap(err, "minf");
    }
    if ((err = require_child(minf, box("stbl"), "minf", &b)) != srs_success) {
        return err;
    }
    if ((err = children(b->body, b->size, &stbl)) != srs_success) {
        return srs_error_wrap(err, "stbl");
    }
    if ((err = require_child(stbl, box("stsd"), "stbl", &b)) != srs_success) {
        return err;
    }
    if ((err = parse_stsd(*b, t)) != srs_success) {
        return err;
    }
    if (t->codec == SrsMp4Codec::Unknown) {
        return err;
    }
    if ((err = parse_tables(stbl, file_size, tb)) != srs_success) {
        return err;
    }
    t->nb_samples = (uint32_t)tb->sizes.size();
    return err;
}

}  // namespace

const char* srs_mp4_codec_name(SrsMp4Codec codec) {
    switch (codec) {
        case SrsMp4Codec::AVC:
            return "H.264";
        case SrsMp4Codec::HEVC:
            return "HEVC";
        case SrsMp4Codec::AV1:
            return "AV1";
        case SrsMp4Codec::VP9:
            return "VP9";
        case SrsMp4Codec::AAC:
            return "AAC";
        case SrsMp4Codec::Opus:
            return "Opus";
        default:
            return "unknown";
    }
}

srs_error_t SrsMp4Demuxer::parse(const char* data, size_t size) {
    srs_error_t err = srs_success;
    data_ = data;
    size_ = size;
    tracks_.clear();
    samples_.clear();

    const uint8_t* p = (const uint8_t*)data;
    std::vector<Box> top, moov;
    if ((err = children(p, size, &top)) != srs_success) {
        return srs_error_wrap(err, "mp4 file");
    }
    if (find(top, box("moof"))) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "fragmented MP4 (moof) is not supported");
    }
    const Box* b = nullptr;
    if ((err = require_child(top, box("moov"), "file", &b)) != srs_success) {
        return err;
    }
    if ((err = children(b->body, b->size, &moov)) != srs_success) {
        return srs_error_wrap(err, "moov");
    }
    uint32_t movie_timescale = 0;
    if ((b = find(moov, box("mvhd"))) != nullptr) {
        Reader r = b->reader();
        uint8_t version = r.u8();
        r.skip(version == 1 ? 3 + 16 : 3 + 8);
        movie_timescale = r.u32();
    }

    for (const Box& trak : moov) {
        if (trak.type != box("trak")) {
            continue;
        }
        SrsMp4ReaderTrack t;
        Tables tb;
        if ((err = parse_trak(trak, movie_timescale, size, &t, &tb)) != srs_success) {
            return srs_error_wrap(err, "trak %d", (int)tracks_.size() + 1);
        }
        if (t.codec == SrsMp4Codec::Unknown) {
            continue;
        }
        int index = (int)tracks_.size();
        for (uint32_t i = 0; i < t.nb_samples; i++) {
            SrsMp4ReaderSample s;
            s.track = index;
            s.dts = tb.dts[i];
            s.cts = tb.cts[i];
            s.dts_ms = to_ms(s.dts + t.shift, t.timescale);
            s.cts_ms = (int32_t)(to_ms(s.dts + s.cts + t.shift, t.timescale) - s.dts_ms);
            s.keyframe = tb.sync[i];
            s.offset = tb.offsets[i];
            s.size = tb.sizes[i];
            samples_.push_back(s);
        }
        tracks_.push_back(std::move(t));
    }
    if (tracks_.empty()) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "no video or audio track of a known codec");
    }
    std::stable_sort(samples_.begin(), samples_.end(),
                     [](const SrsMp4ReaderSample& a, const SrsMp4ReaderSample& b) { return a.dts_ms < b.dts_ms; });
    return err;
}

srs_error_t srs_opus_dops_to_head(const std::string& dops, std::string* head) {
    Reader r((const uint8_t*)dops.data(), dops.size());
    uint8_t version = r.u8();
    uint8_t channels = r.u8();
    uint16_t pre_skip = r.u16();
    uint32_t rate = r.u32();
    uint16_t gain = r.u16();
    uint8_t family = r.u8();
    if (!r.ok() || version != 0 || channels == 0) {
        return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "dOps: %zu bytes, version %d, %d channels", dops.size(), version,
                             channels);
    }
    std::string h("OpusHead", 8);
    h += (char)1;
    h += (char)channels;
    h += (char)(pre_skip & 0xff);
    h += (char)(pre_skip >> 8);
    for (int i = 0; i < 4; i++) {
        h += (char)((rate >> (8 * i)) & 0xff);
    }
    h += (char)(gain & 0xff);
    h += (char)(gain >> 8);
    h += (char)family;
    if (family != 0) {
        // StreamCount, CoupledCount and one ChannelMapping byte per channel, the same in both.
        r.require(2 + (size_t)channels);
        if (!r.ok()) {
            return srs_error_new(ERROR_KERNEL_MP4_DEMUX, "dOps: family %d without its channel mapping", family);
        }
        h.append((const char*)r.here(), 2 + (size_t)channels);
    }
    *head = h;
    return srs_success;
}

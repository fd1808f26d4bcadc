// The files the DVR writes: FLV (with a keyframe index in its onMetaData, and appending to an
// existing file for the append plan) and MP4 (the kernel muxer). Each is written under a
// temporary name and renamed when complete, except an appended FLV, written in place.
#pragma once

#include <srs_kernel_flv.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_message.hpp>

#include <memory>
#include <string>
#include <vector>

class SrsMp4Muxer;

// A video keyframe of an FLV file: the offset of its tag (the tag header's first byte) and its
// timestamp in ms, for the onMetaData keyframes index.
struct SrsDvrFlvKeyframe {
    int64_t position = 0;
    int64_t timestamp = 0;
};

// How many keyframes the onMetaData of a new FLV file has room for: 18 bytes each (two AMF0
// numbers), about 37 KB, an hour and more at one keyframe every 2 s. A file with more keyframes
// gets an evenly thinned index (still spanning the whole file), so seeking stays possible.
const int SRS_DVR_FLV_KEYFRAMES_CAPACITY = 2048;

// The onMetaData tag body of a DVR FLV file: "onMetaData" and an ECMA array of duration (s),
// filesize (bytes), the publisher's fields from meta_body (an onMetaData tag body, may be
// empty; its duration, filesize and keyframes are replaced), then keyframes
// {filepositions: [...], times: [...]} (as yamdi and flvtool2 write it) and "padding", a
// strict array of nulls that fills the body to exactly size bytes. With size 0 the body has
// no keyframes and room for SRS_DVR_FLV_KEYFRAMES_CAPACITY of them. When keyframes do not fit
// in size they are thinned; an empty string means not even the fixed fields fit.
std::string srs_dvr_flv_metadata(const std::string& meta_body, double duration, double filesize,
                                 const std::vector<SrsDvrFlvKeyframe>& keyframes, int size);

// What an existing FLV file holds, read back for the append plan (tag headers only, and the
// first bytes of video tags to find keyframes).
struct SrsDvrFlvScan {
    // The first script tag (onMetaData): the offset of its body, its size and its bytes;
    // offset -1 when there is none.
    int64_t meta_offset = -1;
    int meta_size = 0;
    std::string meta_body;
    // The end of the last complete tag (and its PreviousTagSize); a torn tail after it is cut.
    int64_t end = 0;
    // Audio/video timestamps: the first and last media (sequence headers aside), and the
    // largest of all, -1 when there is none.
    int64_t first_ts = -1;
    int64_t last_ts = -1;
    std::vector<SrsDvrFlvKeyframe> keyframes;
};
// Scans the FLV file at path. Fails when it cannot be read or its header is not FLV's.
srs_error_t srs_dvr_flv_scan(const std::string& path, SrsDvrFlvScan* out);

// A DVR file: the messages of a recording, its name, and what it holds so far.
class SrsDvrFile {
public:
    virtual ~SrsDvrFile() = default;

public:
    // Creates the folders and the file (the temporary one when renamed at close).
    virtual srs_error_t open(const std::string& path, const SrsMediaMessage* meta) = 0;
    // Writes an audio/video message with its own timestamp.
    virtual srs_error_t write(const SrsMediaMessage& msg) = 0;
    // Finishes and renames the file. On failure a temporary file is removed.
    virtual srs_error_t close() = 0;
    bool is_open() const { return writer_.is_open(); }
    // Bytes in the file.
    virtual int64_t bytes() const = 0;
    // The final name, and the name written to now (the same for an appended FLV).
    const std::string& path() const { return path_; }
    const std::string& tmp_path() const { return tmp_; }
    // The timestamp of the first audio/video written (sequence headers aside), -1 before any.
    int64_t first_timestamp() const { return first_ts_; }
    // From the first to the last audio/video timestamp (sequence headers aside).
    int64_t duration_ms() const { return first_ts_ < 0 ? 0 : last_ts_ - first_ts_; }

protected:
    // Notes msg's timestamp (as written) for the duration.
    void on_written(const SrsMediaMessage& msg, int64_t timestamp);
    // Creates the folders and opens path + ".tmp".
    srs_error_t open_tmp(const std::string& path);
    // After the subclass finished and closed the file (err is how that went): renames the
    // temporary file to its final name, or removes it on failure. A file written in place is
    // neither renamed nor removed (it holds earlier recordings).
    srs_error_t finish(srs_error_t err);
    // For the subclasses' destructors: close() when still open, errors logged.
    void close_quietly();

protected:
    SrsFileWriter writer_;
    // Written under its final name (the append plan).
    bool in_place_ = false;
    std::string path_;
    std::string tmp_;
    int64_t first_ts_ = -1;
    int64_t last_ts_ = 0;
};

// One FLV file being recorded. The onMetaData is written at open with room reserved for the
// keyframe index (see srs_dvr_flv_metadata) and rewritten in place, to the same size, at close:
// moving the tags after a grown header would mean copying the whole file with blocking disk IO
// (every stream of the server stalls meanwhile), while the reserved room costs ~37 KB per file.
class SrsDvrFlvFile : public SrsDvrFile {
public:
    SrsDvrFlvFile();
    ~SrsDvrFlvFile() override;
    SRS_DISALLOW_COPY(SrsDvrFlvFile);

public:
    // A new file, written to path + ".tmp": the FLV header and the onMetaData (with the
    // publisher's fields when meta is not null).
    srs_error_t open(const std::string& path, const SrsMediaMessage* meta) override;
    // The append plan: writes to path itself, after the last complete tag of an existing file
    // (a new file when there is none), with timestamps continuing after the file's last one.
    // Fails when the file exists but is not FLV (it is never overwritten).
    srs_error_t open_append(const std::string& path, const SrsMediaMessage* meta);
    srs_error_t write(const SrsMediaMessage& msg) override;
    srs_error_t close() override;
    int64_t bytes() const override { return writer_.tellg(); }
    const std::vector<SrsDvrFlvKeyframe>& keyframes() const { return keyframes_; }

private:
    srs_error_t write_head(const SrsMediaMessage* meta);

private:
    SrsFlvTransmuxer enc_;
    // The onMetaData: body offset and size, and the publisher's fields.
    int64_t meta_offset_ = 0;
    int meta_size_ = 0;
    std::string meta_body_;
    std::vector<SrsDvrFlvKeyframe> keyframes_;
    // Append plan: added to the timestamps of this part, set at its first message so that it
    // starts just after the previous part's last timestamp; -1 before.
    int64_t append_after_ = -1;
    int64_t ts_offset_ = 0;
    bool offset_set_ = false;
};

// One MP4 file being recorded (H.264, HEVC, AV1, VP9 with AAC, MP3, Opus: see srs_kernel_mp4.hpp), to
// path + ".tmp".
class SrsDvrMp4File : public SrsDvrFile {
public:
    SrsDvrMp4File();
    ~SrsDvrMp4File() override;
    SRS_DISALLOW_COPY(SrsDvrMp4File);

public:
    // The publisher's metadata is not kept: the moov describes the tracks.
    srs_error_t open(const std::string& path, const SrsMediaMessage* meta) override;
    srs_error_t write(const SrsMediaMessage& msg) override;
    srs_error_t close() override;
    int64_t bytes() const override;

private:
    std::unique_ptr<SrsMp4Muxer> muxer_;
};

// Whether a dvr_path records MP4 (it ends in .mp4), else FLV.
bool srs_dvr_path_is_mp4(const std::string& path);

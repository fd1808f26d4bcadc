// The load tool's RTMP clients: players (handshake, connect, createStream, play, then
// messages with their timestamps for the lag) and publishers (an FLV file sent in a loop
// at real-time speed, timestamps continuing across loops).
#pragma once

#include <srs_bench_client.hpp>
#include <srs_kernel_message.hpp>

#include <memory>
#include <string>
#include <vector>

class SrsRtmpClientConn;

class SrsFileReader;

// An FLV or MP4 file in memory as RTMP messages, shared by every publisher of a run: the payloads
// are sent by reference, never copied per publisher.
class SrsBenchFlvInput {
public:
    // Reads the whole file (at most 512 MiB); needs at least one audio or video tag. An MP4 (told
    // by its ftyp box, whatever its name) becomes enhanced RTMP tags (srs_bench_mp4.hpp; tracks:
    // its Multitrack mode). Timestamps become relative to the first media tag.
    srs_error_t load(const std::string& path, int tracks = 0);
    const std::vector<SrsMediaMessage>& messages() const { return msgs_; }
    // The input was an MP4: the publisher announces the enhanced RTMP FourCCs at connect.
    bool enhanced() const { return enhanced_; }
    // How far the timestamps of the next loop are moved: the span of the file plus one
    // video frame (one audio frame without video), so the timeline continues without a gap
    // or an overlap.
    int64_t loop_duration() const { return loop_duration_; }

private:
    srs_error_t load_flv(SrsFileReader* file, const std::string& path);
    srs_error_t normalize(const std::string& path);

private:
    std::vector<SrsMediaMessage> msgs_;
    int64_t loop_duration_ = 0;
    bool enhanced_ = false;
};

// Plays an RTMP stream like ffplay: simple handshake, connect, createStream, play, then
// every message counted; audio and video give lag samples. An onStatus of level error
// (StreamNotFound, rejected) fails the player at once.
class SrsBenchRtmpPlayer : public SrsBenchClient {
public:
    SrsBenchRtmpPlayer(SrsBenchContext* ctx, int index, const std::string& url);

protected:
    srs_error_t do_cycle() override;
};

// Publishes an FLV file like ffmpeg -re -stream_loop -1 -c copy: FMLE publish (releaseStream,
// FCPublish, createStream, publish) with chunk size 4096, then each tag when its timestamp
// is due on the wall clock, the file looped with timestamps continuing. Script data goes
// out on the first loop only.
class SrsBenchRtmpPublisher : public SrsBenchClient {
public:
    SrsBenchRtmpPublisher(SrsBenchContext* ctx, int index, const std::string& url, const SrsBenchFlvInput* input);

protected:
    srs_error_t do_cycle() override;

private:
    const SrsBenchFlvInput* input_;
};

// Connects an RTMP client for a URL "rtmp://host[:port]/app/stream[?query]": TCP, simple
// handshake, connect. With enhanced, the connect command object carries fourCcList (enhanced RTMP
// v1 "Enhancing NetConnection connect Command"), as OBS and FFmpeg 6.1+ send it. Out: the
// connection, the stream name.
srs_error_t srs_bench_rtmp_connect(const std::string& url, srs_utime_t timeout, SrsRtmpClientConn* conn,
                                   std::string* stream, bool enhanced = false);

// Byte endpoints for the kernel's readers and writers: files (HLS segments, DVR, FLV input)
// and memory (tests, building a response body).
#pragma once

#include <srs_core_io.hpp>

#include <string>

// A writer that can go back to rewrite bytes it wrote before (a header patched when a file is
// finished: the MP4 mdat size, the FLV onMetaData).
class ISrsSeekWriter : public ISrsWriter {
public:
    // Moves the write position to offset bytes from the start.
    virtual srs_error_t seek(int64_t offset) = 0;
};

// Writes a file with blocking POSIX IO (local disk, like SRS).
class SrsFileWriter : public ISrsSeekWriter {
public:
    SrsFileWriter();
    ~SrsFileWriter() override;
    SRS_DISALLOW_COPY(SrsFileWriter);

public:
    // Creates or truncates the file.
    srs_error_t open(const std::string& path);
    srs_error_t open_append(const std::string& path);
    void close();
    bool is_open() const { return fd_ >= 0; }
    const std::string& path() const { return path_; }
    // The write position: bytes from the start of the file.
    int64_t tellg() const { return written_; }
    // Moves the write position, e.g. to rewrite a header (DVR metadata) once the file is done.
    srs_error_t seek(int64_t offset) override;

    srs_error_t write(const void* buf, size_t size, ssize_t* nwrite) override;
    srs_error_t writev(const iovec* iov, int iov_size, ssize_t* nwrite) override;

private:
    int fd_ = -1;
    std::string path_;
    int64_t written_ = 0;
};

// Writes a whole file (and its directories) under a temporary name and renames it over the
// target, so a reader (an HTTP server, a CDN pulling the disk) sees the old or the new file,
// never a partial one.
srs_error_t srs_file_write_atomic(const std::string& path, const std::string& content);

// Reads a file; read() fails with ERROR_SYSTEM_FILE_EOF at the end.
class SrsFileReader : public ISrsReader {
public:
    SrsFileReader();
    ~SrsFileReader() override;
    SRS_DISALLOW_COPY(SrsFileReader);

public:
    srs_error_t open(const std::string& path);
    void close();
    bool is_open() const { return fd_ >= 0; }
    int64_t filesize() const;
    srs_error_t read(void* buf, size_t size, ssize_t* nread) override;

private:
    int fd_ = -1;
    std::string path_;
};

// Collects written bytes in memory.
class SrsMemoryWriter : public ISrsWriter {
public:
    srs_error_t write(const void* buf, size_t size, ssize_t* nwrite) override;
    srs_error_t writev(const iovec* iov, int iov_size, ssize_t* nwrite) override;
    std::string& bytes() { return bytes_; }
    // How many write/writev calls were made (to check batching).
    int calls() const { return calls_; }

private:
    std::string bytes_;
    int calls_ = 0;
};

// Reads from bytes in memory, at most max_read per call (to exercise short reads); fails
// with ERROR_SYSTEM_FILE_EOF at the end.
class SrsMemoryReader : public ISrsReader {
public:
    explicit SrsMemoryReader(std::string bytes, size_t max_read = 0) : bytes_(std::move(bytes)), max_read_(max_read) {}
    srs_error_t read(void* buf, size_t size, ssize_t* nread) override;
    size_t left() const { return bytes_.size() - pos_; }

private:
    std::string bytes_;
    size_t pos_ = 0;
    size_t max_read_;
};

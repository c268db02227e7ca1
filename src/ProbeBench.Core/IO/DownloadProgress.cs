namespace ProbeBench.Core.IO;

/// <summary>How far a download has come; <see cref="TotalBytes"/> is null when the server does not say.</summary>
public readonly record struct DownloadProgress(string FileName, long BytesReceived, long? TotalBytes);

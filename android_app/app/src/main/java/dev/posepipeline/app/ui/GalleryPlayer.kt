package dev.posepipeline.app.ui

import android.content.Context
import android.graphics.Bitmap
import android.graphics.BitmapFactory
import android.graphics.ImageDecoder
import android.media.MediaMetadataRetriever
import android.net.Uri
import android.os.Build
import dev.posepipeline.app.camera.RgbaFrame
import dev.posepipeline.app.session.FrameOutcome
import dev.posepipeline.app.session.MediaFrames
import java.nio.ByteBuffer
import java.util.concurrent.ExecutorService

/**
 * A photo or a video from the gallery through the camera's pipeline: each picture becomes an
 * upright [RgbaFrame] and goes to [detect] (the same detector, tracking and smoothing as the
 * camera; a video's frames carry their own times), and [onFrame] gets the picture with what was
 * found, on the main thread. Decoding runs on [executor], the detector's thread.
 *
 * Photos are decoded with `ImageDecoder` (which applies the EXIF orientation) from Android 9;
 * on Android 7 and 8 with `BitmapFactory`, which ignores it. Video frames come from
 * `MediaMetadataRetriever`, already turned upright, at [VIDEO_FPS] frames per second.
 *
 * @param detect runs on [executor]: frame, timestamp in nanoseconds, and whether it starts a new
 *   sequence (forget the previous person).
 * @param onFrame runs on the main thread for each picture; [onDone] after the last one, with an
 *   error message or null.
 */
class GalleryPlayer(
    private val context: Context,
    private val executor: ExecutorService,
    private val detect: (frame: RgbaFrame, timestampNanos: Long, newSequence: Boolean) -> FrameOutcome,
    private val onFrame: (picture: Bitmap, outcome: FrameOutcome) -> Unit,
    private val onDone: (problem: String?) -> Unit
) {
    @Volatile private var cancelled = false

    /** Runs the detector on the photo or video at [uri], by its MIME type. */
    fun play(uri: Uri) {
        cancelled = false
        val type = context.contentResolver.getType(uri) ?: ""
        executor.execute {
            val problem = try {
                if (type.startsWith("video/")) playVideo(uri) else playPhoto(uri)
                null
            } catch (problem: Exception) {
                problem.message ?: problem.toString()
            }
            post { onDone(problem) }
        }
    }

    /** Stops a video after the frame in progress. */
    fun cancel() {
        cancelled = true
    }

    private fun playPhoto(uri: Uri) {
        val picture = decodePhoto(uri)
        show(picture, 0L, newSequence = true)
    }

    private fun playVideo(uri: Uri) {
        val retriever = MediaMetadataRetriever()
        try {
            retriever.setDataSource(context, uri)
            val durationMillis =
                retriever.extractMetadata(MediaMetadataRetriever.METADATA_KEY_DURATION)?.toLongOrNull() ?: 0L
            var first = true
            for (micros in MediaFrames.videoFrameTimes(durationMillis * 1000, VIDEO_FPS)) {
                if (cancelled) break
                val frame = retriever.getFrameAtTime(micros, MediaMetadataRetriever.OPTION_CLOSEST) ?: continue
                val (width, height) = MediaFrames.fitWithin(frame.width, frame.height, MAX_SIDE)
                show(Bitmap.createScaledBitmap(frame, width, height, true), micros * 1000, first)
                first = false
            }
        } finally {
            retriever.release()
        }
    }

    private fun decodePhoto(uri: Uri): Bitmap = if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
        ImageDecoder.decodeBitmap(ImageDecoder.createSource(context.contentResolver, uri)) { decoder, info, _ ->
            val (width, height) = MediaFrames.fitWithin(info.size.width, info.size.height, MAX_SIDE)
            decoder.setTargetSize(width, height)
            decoder.allocator = ImageDecoder.ALLOCATOR_SOFTWARE // pixels readable by the CPU
        }
    } else {
        val bounds = BitmapFactory.Options().apply { inJustDecodeBounds = true }
        context.contentResolver.openInputStream(uri).use { BitmapFactory.decodeStream(it, null, bounds) }
        var sample = 1
        while (maxOf(bounds.outWidth, bounds.outHeight) / (2 * sample) >= MAX_SIDE) sample *= 2
        val options = BitmapFactory.Options().apply { inSampleSize = sample }
        context.contentResolver.openInputStream(uri).use { BitmapFactory.decodeStream(it, null, options) }
            ?: throw IllegalArgumentException("Cannot decode the picture $uri")
    }

    /** Detects on [picture] and posts it with the outcome. */
    private fun show(picture: Bitmap, timestampNanos: Long, newSequence: Boolean) {
        val rgba = if (picture.config ==
            Bitmap.Config.ARGB_8888
        ) {
            picture
        } else {
            picture.copy(Bitmap.Config.ARGB_8888, false)
        }
        // ARGB_8888 bitmaps hold their pixels as R, G, B, A bytes: the camera's RGBA_8888 layout.
        val pixels = ByteBuffer.allocateDirect(rgba.byteCount)
        rgba.copyPixelsToBuffer(pixels)
        val frame = RgbaFrame(pixels, rgba.width, rgba.height, rgba.rowBytes)
        val outcome = detect(frame, timestampNanos, newSequence)
        post { onFrame(rgba, outcome) }
    }

    private fun post(action: () -> Unit) {
        android.os.Handler(android.os.Looper.getMainLooper()).post { action() }
    }

    private companion object {
        const val VIDEO_FPS = 10.0
        const val MAX_SIDE = 1280
    }
}

package dev.posepipeline.app.ml

/** The decoders by the names `pose/decode.py` gives them (its `DECODERS` dict). */
object HeatmapDecoders {
    private val all: List<HeatmapDecoder> = listOf(ArgmaxDecoder, QuarterOffsetDecoder, DarkDecoder, CentroidDecoder())

    /** The names this app can decode. */
    val names: List<String> get() = all.map { it.name }

    /** The decoder called [name]; an unknown name is an [IllegalArgumentException] listing the known ones. */
    fun forName(name: String): HeatmapDecoder = all.firstOrNull { it.name == name }
        ?: throw IllegalArgumentException(
            "Unknown heatmap decoder \"$name\" in ${ModelSpec.FILE_NAME}; this app decodes ${names.joinToString()}. " +
                "Deploy a model with one of these, or port the new decoder from pose/decode.py"
        )
}

package dev.socketdeck.listener;

import dev.socketdeck.codec.FramingSpec;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/** Lets application.yml say {@code framing: line}. */
@Component
@ConfigurationPropertiesBinding
class FramingSpecConverter implements Converter<String, FramingSpec> {

	@Override
	public FramingSpec convert(String source) {
		return FramingSpec.parse(source);
	}
}

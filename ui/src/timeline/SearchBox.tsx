import { useEffect, useId, useRef, useState } from "react";
import type { Suggestion } from "../api/types";
import { applySuggestion, type Filters, withFilter } from "../shared/filters";
import { isTyping } from "../shared/keys";
import { useSuggestions } from "./queries";

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

// How a suggestion's kind is shown where its name alone would not say it.
const KIND_LABELS: Partial<Record<Suggestion["kind"], string>> = { words: "every word" };

/**
 * Search with suggestions: picking one turns the words into filters (a tag, a place, a person,
 * a camera, a month …, or each word its own, all together); Enter without a suggestion searches
 * the text.
 */
export function SearchBox({ filters, onChange }: { filters: Filters; onChange: (next: Filters) => void }) {
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const debounced = useDebounced(text, 150);
  const suggestions = useSuggestions(debounced);
  const options: Suggestion[] = text.trim() ? (suggestions.data ?? []) : [];

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "/" && !isTyping(event) && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const choose = (suggestion: Suggestion) => {
    onChange(applySuggestion(filters, suggestion.params));
    setText("");
    setOpen(false);
    setActive(-1);
  };

  const submitText = () => {
    const q = text.trim();
    if (!q) return;
    onChange(withFilter(filters, "q", q));
    setText("");
    setOpen(false);
  };

  return (
    <div className="search">
      <input
        ref={input}
        type="search"
        className="search__input"
        placeholder="Search places, tags, people, cameras, months…"
        aria-label="Search photos"
        role="combobox"
        aria-expanded={open && options.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown") {
            event.preventDefault();
            setOpen(true);
            setActive((i) => Math.min(options.length - 1, i + 1));
          } else if (event.key === "ArrowUp") {
            event.preventDefault();
            setActive((i) => Math.max(-1, i - 1));
          } else if (event.key === "Enter") {
            event.preventDefault();
            if (active >= 0 && options[active]) choose(options[active]);
            else submitText();
          } else if (event.key === "Escape") {
            setOpen(false);
            input.current?.blur();
          }
        }}
      />
      {open && options.length > 0 && (
        <ul className="search__list" role="listbox" id={listId} aria-label="Suggestions">
          {options.map((option, i) => (
            <li
              key={`${option.kind}:${option.label}:${i}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? "search__option search__option--active" : "search__option"}
              onMouseDown={(event) => {
                event.preventDefault();
                choose(option);
              }}
            >
              <span className="search__kind">{KIND_LABELS[option.kind] ?? option.kind}</span>
              {option.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

import { useEffect, useId, useRef, useState } from "react";
import type { FacetOption, FacetTag, Facets } from "../api/types";
import { type Filters, hasFilters, type ListKey, toggleInList, withFilter } from "../shared/filters";
import { personCropUrl, personName } from "../shared/faces";
import { labelFor, rememberLabel } from "../shared/labels";
import { bboxLabel, parseBBox } from "../shared/mapGeo";
import { formatCount, formatExposureTime, formatNumber, parseExposureTime, plural } from "../shared/format";
import { optionsWithChosen, swatchColour } from "./facetFormat";
import { useFacets } from "./queries";

const TYPE_TITLES: Record<string, string> = {
  object: "Things",
  place: "Places",
  colour: "Colours",
  style: "Styles",
  event: "Events",
  person: "People",
  keyword: "Keywords",
};

function titleOf(type: string): string {
  return TYPE_TITLES[type] ?? type.charAt(0).toUpperCase() + type.slice(1);
}

function rememberFacets(facets: Facets) {
  for (const [type, tags] of Object.entries(facets.tags)) for (const t of tags) rememberLabel(type === "place" || type === "colour" ? type : "tag", t.id, t.name);
  for (const p of facets.people) rememberLabel("person", p.id, personName(p));
  for (const c of facets.cameras) rememberLabel("camera", c.id, c.name);
  for (const l of facets.lenses) rememberLabel("lens", l.id, l.name);
}

/** How many options a list shows before "All n". */
const SHORT_LIST = 8;

function OptionList({
  title,
  options: offered,
  selected,
  onToggle,
  kind,
  noun,
  testId,
  imageOf,
}: {
  title: string;
  options: (FacetOption | FacetTag)[];
  selected: number[];
  onToggle: (id: number) => void;
  kind: string;
  noun: string;
  testId?: string;
  /** A small round picture for each option (a person's face). */
  imageOf?: (id: number) => string;
}) {
  const [all, setAll] = useState(false);
  const options = optionsWithChosen(offered, selected, kind, noun);
  if (!options.length) return null;
  // The short list keeps the chosen options too, wherever their counts put them.
  const shown = all ? options : options.filter((option, i) => i < SHORT_LIST || selected.includes(option.id));
  return (
    <fieldset className="facet" data-testid={testId}>
      <legend>{title}</legend>
      {shown.map((option) => (
        <label key={option.id} className="facet__option">
          <input type="checkbox" aria-label={option.name} checked={selected.includes(option.id)} onChange={() => onToggle(option.id)} />
          {imageOf && <img className="facet__face" src={imageOf(option.id)} alt="" loading="lazy" />}
          <span className="facet__name" title={option.name}>
            {option.name}
          </span>
          <span className="facet__count">{formatCount(option.count)}</span>
        </label>
      ))}
      {options.length > SHORT_LIST && (
        <button type="button" className="link-button" onClick={() => setAll(!all)}>
          {all ? "Fewer" : `All ${formatCount(options.length)}`}
        </button>
      )}
    </fieldset>
  );
}

/** Places as a tree: countries, their regions, their cities. */
function PlaceTree({ places, selected, onPick }: { places: FacetTag[]; selected?: number; onPick: (id: number | undefined) => void }) {
  if (!places.length) return null;
  const ids = new Set(places.map((p) => p.id));
  const children = new Map<number | null, FacetTag[]>();
  for (const place of places) {
    const parent = place.parent !== null && ids.has(place.parent) ? place.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), place]);
  }
  const branch = (parent: number | null, depth: number): React.ReactNode =>
    (children.get(parent) ?? []).map((place) => (
      <li key={place.id}>
        <button
          type="button"
          className={`place${selected === place.id ? " place--selected" : ""}`}
          style={{ paddingLeft: `${0.25 + depth}rem` }}
          aria-pressed={selected === place.id}
          onClick={() => onPick(selected === place.id ? undefined : place.id)}
        >
          {place.name} <span className="facet__count">{formatCount(place.count)}</span>
        </button>
        {children.has(place.id) && <ul>{branch(place.id, depth + 1)}</ul>}
      </li>
    ));
  return (
    <fieldset className="facet" data-testid="facet-places">
      <legend>Places</legend>
      <ul className="place-tree">{branch(null, 0)}</ul>
    </fieldset>
  );
}

/** How a range's bound is read from what was typed; undefined when it cannot be. */
function parseNumber(text: string): number | undefined {
  const value = Number(text.trim());
  return text.trim() === "" || !Number.isFinite(value) ? undefined : value;
}

/** A shutter speed typed the way photographers write it ("1/250", "2 s"), in seconds. */
function parseShutter(text: string): number | undefined {
  return parseExposureTime(text) ?? undefined;
}

/** "1/250" in the input (its unit is in the title), "—" when unknown. */
function shutterText(seconds: number): string {
  return (formatExposureTime(seconds) ?? "").replace(/ s$/, "");
}

function NumberRange({
  title,
  range,
  min,
  max,
  format,
  onChange,
  text,
}: {
  title: string;
  range: number[] | null;
  min?: number;
  max?: number;
  format: (n: number) => string;
  onChange: (min: number | undefined, max: number | undefined) => void;
  /**
   * How the inputs read and write a bound, for values people do not type as plain numbers
   * (shutter speeds), with a hint shown when what was typed cannot be read. Plain numbers
   * otherwise.
   */
  text?: { parse: (text: string) => number | undefined; show: (n: number) => string; hint: string };
}) {
  const show = text?.show ?? String;
  const parse = text?.parse ?? parseNumber;
  const [low, setLow] = useState(min === undefined ? "" : show(min));
  const [high, setHigh] = useState(max === undefined ? "" : show(max));
  const [invalid, setInvalid] = useState(false);
  const hintId = useId();
  const [first, last] = range ?? [];
  if ((first === undefined || last === undefined) && min === undefined && max === undefined) return null;
  // A bound typed as the range's end, as shown, means that end: "1/9804" is not exactly the
  // 0.000101999184 s a camera recorded, and must not leave that photo out.
  const snap = (value: number | undefined) => {
    if (value === undefined) return undefined;
    for (const end of [first, last]) if (end !== undefined && end !== 0 && Math.abs(value - end) / Math.abs(end) < 0.01) return end;
    return value;
  };
  const apply = () => {
    const lowValue = parse(low);
    const highValue = parse(high);
    const bad = (typed: string, value: number | undefined) => typed.trim() !== "" && value === undefined;
    setInvalid(bad(low, lowValue) || bad(high, highValue));
    if (bad(low, lowValue) || bad(high, highValue)) return;
    const nextLow = text ? snap(lowValue) : lowValue;
    const nextHigh = text ? snap(highValue) : highValue;
    if (nextLow !== min || nextHigh !== max) onChange(nextLow, nextHigh);
  };
  const input = (bound: "from" | "to", value: string, setValue: (value: string) => void, end: number | undefined) => (
    <input
      type={text ? "text" : "number"}
      inputMode={text ? "text" : "decimal"}
      step={text ? undefined : "any"}
      aria-label={`${title} ${bound}`}
      aria-invalid={invalid || undefined}
      aria-describedby={invalid ? hintId : undefined}
      placeholder={end !== undefined ? show(end) : bound === "from" ? "min" : "max"}
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onBlur={apply}
      onKeyDown={(e) => e.key === "Enter" && apply()}
    />
  );
  return (
    <fieldset className="facet facet--range">
      <legend>
        {title} {first !== undefined && last !== undefined && <span className="muted">({format(first)} – {format(last)})</span>}
      </legend>
      <div className="facet__range">
        {input("from", low, setLow, first)}
        <span aria-hidden="true">–</span>
        {input("to", high, setHigh, last)}
      </div>
      {invalid && text && (
        <p className="field__error" id={hintId}>
          {text.hint}
        </p>
      )}
    </fieldset>
  );
}

/** The faceted filters: every option counts photos within the current results. */
export function FilterPanel({
  filters,
  onChange,
  onClose,
  focusOnOpen = false,
}: {
  filters: Filters;
  onChange: (next: Filters) => void;
  onClose: () => void;
  /** Opened by the person (not open from the start): focus moves into the panel. */
  focusOnOpen?: boolean;
}) {
  const closeButton = useRef<HTMLButtonElement>(null);
  // Only when it opens: a later change of the prop must not pull focus back.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => (focusOnOpen ? closeButton.current?.focus() : undefined), []);
  const facets = useFacets(filters, true);
  const data = facets.data;
  if (data) rememberFacets(data);
  const toggle = (key: ListKey) => (id: number) => onChange(toggleInList(filters, key, id));
  const set = <K extends keyof Filters>(key: K, value: Filters[K] | undefined) => onChange(withFilter(filters, key, value));
  const setRange = (lowKey: keyof Filters, highKey: keyof Filters) => (low: number | undefined, high: number | undefined) =>
    onChange(withFilter(withFilter(filters, lowKey, low as never), highKey, high as never));

  const tagTypes = data ? Object.keys(data.tags).filter((t) => t !== "place" && t !== "colour" && data.tags[t]?.length) : [];
  const tagTypeOf = new Map<number, string>();
  for (const type of tagTypes) for (const t of data?.tags[type] ?? []) tagTypeOf.set(t.id, type);

  return (
    <aside className="filters" aria-label="Filters">
      <div className="filters__header">
        <h2>Filters</h2>
        <span className="muted" data-testid="facet-total">
          {data ? plural(data.total, "photo") : facets.isPending ? "…" : ""}
        </span>
        <button ref={closeButton} type="button" className="icon-button" aria-label="Close filters" onClick={onClose}>
          ×
        </button>
      </div>
      {hasFilters(filters) && (
        <button type="button" className="link-button" onClick={() => onChange({})}>
          Clear all filters
        </button>
      )}
      {facets.isError && <p className="field__error">Could not load the filters.</p>}
      {data && (
        <>
          <PlaceTree places={data.tags.place ?? []} selected={filters.place} onPick={(id) => set("place", id)} />
          {(data.tags.colour ?? []).length > 0 && (
            <fieldset className="facet">
              <legend>Colours</legend>
              <div className="swatches">
                {(data.tags.colour ?? []).map((c) => (
                  <button
                    key={c.id}
                    type="button"
                    className={`swatch${filters.colour === c.id ? " swatch--selected" : ""}`}
                    style={{ background: swatchColour(c.name) }}
                    aria-label={`${c.name} (${formatCount(c.count)})`}
                    title={`${c.name} (${formatCount(c.count)})`}
                    aria-pressed={filters.colour === c.id}
                    onClick={() => set("colour", filters.colour === c.id ? undefined : c.id)}
                  />
                ))}
              </div>
            </fieldset>
          )}
          {tagTypes.map((type) => (
            <OptionList
              key={type}
              title={titleOf(type)}
              // A chosen tag is listed under its own type; one the facets no longer have, under the first.
              options={data.tags[type] ?? []}
              selected={(filters.tag ?? []).filter((id) => tagTypeOf.get(id) === type || (!tagTypeOf.has(id) && type === tagTypes[0]))}
              onToggle={toggle("tag")}
              kind="tag"
              noun="Tag"
              testId={`facet-tags-${type}`}
            />
          ))}
          <OptionList
            title="People"
            options={data.people.map((person) => ({ ...person, name: personName(person) }))}
            imageOf={personCropUrl}
            selected={filters.person ?? []}
            onToggle={toggle("person")}
            kind="person"
            noun="Person"
            testId="facet-people"
          />
          <OptionList title="Cameras" options={data.cameras} selected={filters.camera ?? []} onToggle={toggle("camera")} kind="camera" noun="Camera" testId="facet-cameras" />
          <OptionList title="Lenses" options={data.lenses} selected={filters.lens ?? []} onToggle={toggle("lens")} kind="lens" noun="Lens" testId="facet-lenses" />
          <fieldset className="facet">
            <legend>Rating</legend>
            <div className="facet__chips">
              {[1, 2, 3, 4, 5].map((n) => {
                const count = Object.entries(data.ratings)
                  .filter(([k]) => Number(k) >= n)
                  .reduce((sum, [, v]) => sum + v, 0);
                return (
                  <button
                    key={n}
                    type="button"
                    className={`chip${filters.rating_min === n ? " chip--on" : ""}`}
                    aria-pressed={filters.rating_min === n}
                    onClick={() => set("rating_min", filters.rating_min === n ? undefined : n)}
                  >
                    {"★".repeat(n)}+ <span className="facet__count">{formatCount(count)}</span>
                  </button>
                );
              })}
            </div>
          </fieldset>
          {(data.flash.fired > 0 || data.flash.not_fired > 0 || filters.flash !== undefined) && (
            <fieldset className="facet">
              <legend>Flash</legend>
              <div className="facet__chips">
                {(
                  [
                    [undefined, "Any"],
                    [true, `Fired (${formatCount(data.flash.fired)})`],
                    [false, `Not fired (${formatCount(data.flash.not_fired)})`],
                  ] as const
                ).map(([value, label]) => (
                  <button key={label} type="button" className={`chip${filters.flash === value ? " chip--on" : ""}`} aria-pressed={filters.flash === value} onClick={() => set("flash", value)}>
                    {label}
                  </button>
                ))}
              </div>
            </fieldset>
          )}
          <NumberRange key={`aperture_min:${filters.aperture_min}:${filters.aperture_max}`} title="Aperture" range={data.ranges.aperture} min={filters.aperture_min} max={filters.aperture_max} format={(n) => `f/${formatNumber(n, { maximumFractionDigits: 1 })}`} onChange={setRange("aperture_min", "aperture_max")} />
          <NumberRange
            key={`exposure_min:${filters.exposure_min}:${filters.exposure_max}`}
            title="Shutter speed (s)"
            range={data.ranges.exposure_time}
            min={filters.exposure_min}
            max={filters.exposure_max}
            format={(n) => formatExposureTime(n) ?? ""}
            text={{ parse: parseShutter, show: shutterText, hint: "Write a shutter speed as 1/250, 0.5 or 2 s." }}
            onChange={setRange("exposure_min", "exposure_max")}
          />
          <NumberRange key={`iso_min:${filters.iso_min}:${filters.iso_max}`} title="ISO" range={data.ranges.iso} min={filters.iso_min} max={filters.iso_max} format={(n) => formatNumber(n, { useGrouping: false })} onChange={setRange("iso_min", "iso_max")} />
          <NumberRange key={`focal_min:${filters.focal_min}:${filters.focal_max}`} title="Focal length (mm)" range={data.ranges.focal_length} min={filters.focal_min} max={filters.focal_max} format={(n) => `${formatNumber(n, { maximumFractionDigits: 1 })} mm`} onChange={setRange("focal_min", "focal_max")} />
          <fieldset className="facet">
            <legend>Dates</legend>
            <div className="facet__dates">
              <label>
                From
                <input type="date" value={filters.date_from ?? ""} min={data.dates?.[0]?.slice(0, 10)} max={data.dates?.[1]?.slice(0, 10)} onChange={(e) => set("date_from", e.target.value || undefined)} />
              </label>
              <label>
                To
                <input type="date" value={filters.date_to ?? ""} min={data.dates?.[0]?.slice(0, 10)} max={data.dates?.[1]?.slice(0, 10)} onChange={(e) => set("date_to", e.target.value || undefined)} />
              </label>
            </div>
          </fieldset>
          <fieldset className="facet">
            <legend>More</legend>
            <label className="facet__option">
              <input type="checkbox" checked={filters.has_gps === true} onChange={(e) => set("has_gps", e.target.checked || undefined)} />
              <span className="facet__name">Only with a location</span>
            </label>
            <label className="facet__option">
              <input type="checkbox" checked={filters.hidden === true} onChange={(e) => set("hidden", e.target.checked || undefined)} />
              <span className="facet__name">Only archived photos</span>
            </label>
            <label className="facet__option" title="Photos whose files hold no date: they are placed by the file's time.">
              <input type="checkbox" checked={filters.undated === true} onChange={(e) => set("undated", e.target.checked || undefined)} />
              <span className="facet__name">Only undated photos</span>
            </label>
            <label className="facet__option" title="Leave out the photos whose files hold no date (see them apart with “Only undated photos”).">
              <input type="checkbox" checked={filters.undated === false} onChange={(e) => set("undated", e.target.checked ? false : undefined)} />
              <span className="facet__name">Leave out undated photos</span>
            </label>
          </fieldset>
        </>
      )}
    </aside>
  );
}

/** Removable chips for the active filters, named from the facets seen so far. */
export function ActiveFilters({ filters, onChange }: { filters: Filters; onChange: (next: Filters) => void }) {
  const chips: { key: string; label: string; next: Filters }[] = [];
  const list = (key: ListKey, kind: string, noun: string) => {
    for (const id of filters[key] ?? []) {
      chips.push({ key: `${key}:${id}`, label: labelFor(kind, id) ?? `${noun} ${id}`, next: toggleInList(filters, key, id) });
    }
  };
  list("tag", "tag", "Tag");
  list("person", "person", "Person");
  list("camera", "camera", "Camera");
  list("lens", "lens", "Lens");
  const single = (key: keyof Filters, label: string | undefined) => {
    if (filters[key] === undefined || label === undefined) return;
    chips.push({ key, label, next: withFilter(filters, key, undefined) });
  };
  single("place", filters.place !== undefined ? (labelFor("place", filters.place) ?? `Place ${filters.place}`) : undefined);
  single("colour", filters.colour !== undefined ? (labelFor("colour", filters.colour) ?? `Colour ${filters.colour}`) : undefined);
  single("q", filters.q !== undefined ? `“${filters.q}”` : undefined);
  single("rating_min", filters.rating_min ? `${"★".repeat(filters.rating_min)}+` : undefined);
  single("flash", filters.flash === undefined ? undefined : filters.flash ? "Flash fired" : "No flash");
  single("date_from", filters.date_from && `From ${filters.date_from}`);
  single("date_to", filters.date_to && `Until ${filters.date_to}`);
  single("has_gps", filters.has_gps ? "With location" : undefined);
  single("hidden", filters.hidden ? "Archived photos" : undefined);
  single("undated", filters.undated === undefined ? undefined : filters.undated ? "Undated photos" : "Dated photos");
  const area = filters.bbox === undefined ? undefined : parseBBox(filters.bbox);
  single("bbox", area && bboxLabel(area));
  const plain = (n: number) => formatNumber(n);
  for (const [low, high, name, show] of [
    ["aperture_min", "aperture_max", "Aperture", plain],
    ["exposure_min", "exposure_max", "Shutter", (n: number) => formatExposureTime(n) ?? plain(n)],
    ["iso_min", "iso_max", "ISO", plain],
    ["focal_min", "focal_max", "Focal", plain],
  ] as const) {
    const lowValue = filters[low];
    const highValue = filters[high];
    if (lowValue !== undefined || highValue !== undefined) {
      chips.push({
        key: low,
        label: `${name} ${lowValue === undefined ? "…" : show(lowValue)}–${highValue === undefined ? "…" : show(highValue)}`,
        next: withFilter(withFilter(filters, low, undefined), high, undefined),
      });
    }
  }
  if (!chips.length) return null;
  return (
    <ul className="active-filters" aria-label="Active filters">
      {chips.map((chip) => (
        <li key={chip.key}>
          <button type="button" className="chip chip--on" aria-label={`Remove filter ${chip.label}`} onClick={() => onChange(chip.next)}>
            {chip.label} <span aria-hidden="true">×</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

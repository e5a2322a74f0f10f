import { type FormEvent, useId, useState } from "react";
import type { Library } from "../api/types";
import { describeError } from "./errors";
import { useAddNamedDate, useNamedDates, useRemoveNamedDate } from "./manage";
import { describeNamedDate } from "./namedDates";

/**
 * A library's named dates (birthdays, anniversaries, a wedding): photos taken on them get the
 * date's name as an event tag. Everyone sees them; those who manage the library add and remove.
 */
export function LibraryDates({ library, manage }: { library: Library; manage: boolean }) {
  const dates = useNamedDates(library.id);
  const add = useAddNamedDate(library.id);
  const remove = useRemoveNamedDate(library.id);
  const [name, setName] = useState("");
  const [day, setDay] = useState("");
  const [yearly, setYearly] = useState(true);
  const [missing, setMissing] = useState<{ name?: string; date?: string }>({});
  const id = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = {
      name: name.trim() ? undefined : "Give the date a name.",
      date: day ? undefined : "Choose the day.",
    };
    setMissing(problems);
    if (problems.name || problems.date) return;
    add.mutate(
      { name: name.trim(), date: day, yearly },
      {
        onSuccess: () => {
          setName("");
          setDay("");
          setYearly(true);
        },
      },
    );
  };
  const nameError = missing.name ?? (add.isError ? describeError(add.error, "name") : undefined);
  const dateError = missing.date ?? (add.isError && !nameError ? describeError(add.error, "date") : undefined);

  return (
    <section className="named-dates" aria-labelledby={`${id}-title`} data-testid={`named-dates-${library.id}`}>
      <h4 id={`${id}-title`}>Named dates</h4>
      <p className="muted">Birthdays, anniversaries and other days you name: photos taken on them get the name as an event.</p>
      {dates.isPending && <p className="muted">Loading the dates…</p>}
      {dates.isError && <p className="field__error">Could not load the dates. {describeError(dates.error)}</p>}
      {dates.data && dates.data.length === 0 && <p className="muted">No named dates yet.</p>}
      {dates.data && dates.data.length > 0 && (
        <ul className="named-dates__list">
          {dates.data.map((event) => (
            <li key={event.id} className="named-dates__item">
              <span>
                <strong>{event.name}</strong> <span className="muted">{describeNamedDate(event)}</span>
              </span>
              {manage && (
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Remove ${event.name}`}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate(event.id)}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {remove.isError && <p className="field__error">Could not remove the date. {describeError(remove.error)}</p>}
      {manage && (
        <form className="named-dates__form" aria-label={`Add a named date to ${library.name}`} onSubmit={submit} noValidate>
          <div className={nameError ? "field field--invalid" : "field"}>
            <label htmlFor={`${id}-name`}>Name</label>
            <input
              id={`${id}-name`}
              maxLength={200}
              placeholder="Grandma's birthday"
              value={name}
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? `${id}-name-error` : undefined}
              onChange={(event) => {
                setName(event.target.value);
                add.reset();
              }}
            />
            {nameError && (
              <p className="field__error" id={`${id}-name-error`}>
                {nameError}
              </p>
            )}
          </div>
          <div className={dateError ? "field field--invalid" : "field"}>
            <label htmlFor={`${id}-date`}>Day</label>
            <input
              id={`${id}-date`}
              type="date"
              value={day}
              aria-invalid={dateError ? true : undefined}
              aria-describedby={dateError ? `${id}-date-error` : undefined}
              onChange={(event) => {
                setDay(event.target.value);
                add.reset();
              }}
            />
            {dateError && (
              <p className="field__error" id={`${id}-date-error`}>
                {dateError}
              </p>
            )}
          </div>
          <fieldset className="named-dates__repeat">
            <legend className="visually-hidden">How often</legend>
            <label>
              <input type="radio" name={`${id}-yearly`} checked={yearly} onChange={() => setYearly(true)} /> Every year (from that year on)
            </label>
            <label>
              <input type="radio" name={`${id}-yearly`} checked={!yearly} onChange={() => setYearly(false)} /> Only that day
            </label>
          </fieldset>
          <button type="submit" className="button button--small" disabled={add.isPending}>
            Add date
          </button>
        </form>
      )}
    </section>
  );
}

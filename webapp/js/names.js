// The names people go by: the one remembered for the next visit, and what to call someone without one.

const NAME_KEY = 'rendezvous.name';

export function storedName() {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return ''; // storage can be off in private windows
  }
}

export function rememberName(name) {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // not remembering is fine
  }
}

export function displayName(id, name) {
  return name || (id ? `Guest ${id.slice(0, 4)}` : 'You');
}

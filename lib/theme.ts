/**
 * Applies the saved theme, or the system's, before the first paint (inlined in <head>, so the
 * page never flashes light in dark mode).
 */
export const THEME_SCRIPT = `try{var t=localStorage.getItem('theme');if(t!=='light'&&t!=='dark')t=matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light';document.documentElement.classList.toggle('dark',t==='dark');document.documentElement.style.colorScheme=t}catch(e){}`;
